import Foundation
import Testing
@testable import Persistence

/// The statistics' figures, held against both backends: a fill replaces a clinic's days, a refusal
/// adds to what is counted, queries sum by key, by day and by clinic, for the clinics asked.
@Suite("Statistics store")
struct StatisticsStoreTests {
    let now = Date(timeIntervalSince1970: 1_795_413_600)

    private func figure(_ basis: StatisticCount.Basis, _ day: String, _ clinic: String, _ metric: String, _ key: String, _ value: Int) -> StatisticCount {
        StatisticCount(basis: basis, day: day, clinic: clinic, metric: metric, key: key, value: value)
    }

    /// Bookings made on `day` through channel `key`.
    private func figure(_ day: String, _ clinic: String, _ key: String, _ value: Int) -> StatisticCount {
        figure(.made, day, clinic, "channel", key, value)
    }

    @Test(arguments: StoreBackend.allCases) func aFillReplacesTheDaysItCoversAndQueriesSumWhatWasAsked(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            #expect(try await store.lastFilledStatisticDay(clinic: "101") == nil)
            try await store.replaceStatistics(clinic: "101", days: ["2026-12-01", "2026-12-02"], counts: [
                figure("2026-12-01", "101", "internet", 3), figure("2026-12-01", "101", "internet", 2), figure("2026-12-02", "101", "kiosk", 4),
                figure(.visit, "2026-12-02", "101", "slots", "3001", 20),
            ], names: [StatisticName(kind: "clinic", id: "101", name: "Поликлиника № 1"), StatisticName(kind: "clinic", id: "101", name: "Поликлиника № 1")], now: now)
            try await store.replaceStatistics(clinic: "102", days: ["2026-12-01"], counts: [figure("2026-12-01", "102", "internet", 7)], names: [], now: now)
            // A refusal shown is added on its own basis; a fill never touches it.
            for _ in 0..<2 { try await store.addStatistic(figure(.shown, "2026-12-01", "101", "refusal", "too-soon|internet|113", 1)) }
            #expect(try await store.lastFilledStatisticDay(clinic: "101") == "2026-12-02")
            #expect(try await store.statisticNames(kind: "clinic") == ["101": "Поликлиника № 1"])

            let all = StatisticQuery(basis: .made, from: "2026-12-01", to: "2026-12-31", clinics: nil, metrics: ["channel"])
            #expect(try await store.statistics(all) == [StatisticTotal(metric: "channel", key: "internet", value: 12), StatisticTotal(metric: "channel", key: "kiosk", value: 4)])
            var mine = all
            mine.clinics = ["101"]
            mine.byDay = true
            #expect(try await store.statistics(mine) == [StatisticTotal(metric: "channel", key: "internet", day: "2026-12-01", value: 5),
                                                         StatisticTotal(metric: "channel", key: "kiosk", day: "2026-12-02", value: 4)])
            var perClinic = all
            perClinic.byClinic = true
            perClinic.from = "2026-12-01"
            perClinic.to = "2026-12-01"
            #expect(try await store.statistics(perClinic) == [StatisticTotal(metric: "channel", key: "internet", clinic: "101", value: 5),
                                                              StatisticTotal(metric: "channel", key: "internet", clinic: "102", value: 7)])
            var none = all
            none.clinics = []
            #expect(try await store.statistics(none).isEmpty)

            // Filled again (the MIS marked visits meanwhile): the day's figures are the new ones, the refusals stay.
            try await store.replaceStatistics(clinic: "101", days: ["2026-12-01"], counts: [figure("2026-12-01", "101", "call-centre", 1)], names: [], now: now)
            var again = all
            again.clinics = ["101"]
            #expect(try await store.statistics(again) == [StatisticTotal(metric: "channel", key: "call-centre", value: 1), StatisticTotal(metric: "channel", key: "kiosk", value: 4)])
            let refusals = StatisticQuery(basis: .shown, from: "2026-12-01", to: "2026-12-01", clinics: ["101"], metrics: ["refusal"])
            #expect(try await store.statistics(refusals) == [StatisticTotal(metric: "refusal", key: "too-soon|internet|113", value: 2)])
            #expect(try await store.statistics(StatisticQuery(basis: .visit, from: "2026-12-02", to: "2026-12-02", clinics: nil, metrics: ["slots"]))
                == [StatisticTotal(metric: "slots", key: "3001", value: 20)])
        }
    }
}
