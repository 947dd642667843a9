import Foundation
import MISBridge
import Persistence

/// The statistics of a period for some clinics (nil: the whole region), with the same figures for
/// the period just before it, read from the registry's own store: every figure counted by the day
/// bookings were made or by the day of the visit, as asked.
public struct StatisticsReport: Sendable {
    /// One figure's value now and in the period before.
    public struct Figure: Sendable, Equatable {
        public let key: String
        public let value: Int
        public let previous: Int
    }

    public let basis: StatisticCount.Basis
    public let from: String
    public let to: String
    public let previousFrom: String
    public let previousTo: String
    /// Sums by key, per metric, with the previous period's.
    public let figures: [StatisticMetric: [Figure]]
    /// Bookings a day (the channel metric summed), oldest first, every day of the period.
    public let byDay: [(day: String, value: Int)]
    /// Bookings by clinic (the channel metric summed).
    public let byClinic: [Figure]
    /// Refusals the registry showed: by `code|channel|specialty`, counted on the day shown.
    public let refusals: [Figure]
    /// The mornings' first-free readings by specialty: how many readings kept the programme's limit.
    public let firstFree: [FirstFree]
    /// Waiting-list offers made and taken (`offered`, `taken`).
    public let waitlist: [Figure]
    /// The clinic's decisions on bookings that waited for it, and displacements (`StatisticMetric.decision`).
    public let decisions: [Figure]
    /// Messages sent and given up by channel (`email-sent`, `sms-failed`…); the whole region's only.
    public let notifications: [Figure]

    /// One specialty's first-free readings of the period and of the period before.
    public struct FirstFree: Sendable, Equatable {
        public let specialty: String
        public let federalCode: String
        public let readings: Int
        public let within: Int
        public let previousReadings: Int
        public let previousWithin: Int
    }

    /// The longest period a page reads.
    public static let maximumDays = 366

    /// Reads the report of `from`…`to` (both `YYYY-MM-DD`, at most `maximumDays`).
    public static func read(_ database: any RegistryStore, basis: StatisticCount.Basis, from: String, to: String, clinics: [String]?) async throws -> StatisticsReport {
        let length = (StatisticsFill.days(from: from, through: to).count)
        let previousTo = StatisticsFill.adding(-1, to: from) ?? from
        let previousFrom = StatisticsFill.adding(-length, to: from) ?? from
        let metrics: [StatisticMetric] = [.channel, .specialty, .hour, .outcome, .cancelledBy, .cancelLead] + (clinics?.count == 1 ? [.doctor, .slots, .held] : [])
        let query = StatisticQuery(basis: basis, from: from, to: to, clinics: clinics, metrics: metrics.map(\.rawValue))
        var previousQuery = query
        previousQuery.from = previousFrom
        previousQuery.to = previousTo
        async let nowTotals = database.statistics(query)
        async let beforeTotals = database.statistics(previousQuery)
        async let daily = database.statistics(StatisticQuery(basis: basis, from: from, to: to, clinics: clinics, metrics: [StatisticMetric.channel.rawValue], byDay: true))
        async let clinicTotals = database.statistics(StatisticQuery(basis: basis, from: from, to: to, clinics: clinics, metrics: [StatisticMetric.channel.rawValue], byClinic: true))
        async let clinicBefore = database.statistics(StatisticQuery(basis: basis, from: previousFrom, to: previousTo, clinics: clinics, metrics: [StatisticMetric.channel.rawValue], byClinic: true))
        async let refusalsNow = database.statistics(StatisticQuery(basis: .shown, from: from, to: to, clinics: clinics, metrics: [StatisticMetric.refusal.rawValue]))
        async let refusalsBefore = database.statistics(StatisticQuery(basis: .shown, from: previousFrom, to: previousTo, clinics: clinics, metrics: [StatisticMetric.refusal.rawValue]))
        // The waiting list's figures and the clinic's decisions, in one query each period.
        let counted = [StatisticMetric.waitlist.rawValue, StatisticMetric.decision.rawValue]
        async let waitlistNow = database.statistics(StatisticQuery(basis: .shown, from: from, to: to, clinics: clinics, metrics: counted))
        async let waitlistBefore = database.statistics(StatisticQuery(basis: .shown, from: previousFrom, to: previousTo, clinics: clinics, metrics: counted))
        let regionWide = clinics == nil
        async let sentNow = regionWide ? database.statistics(StatisticQuery(basis: .shown, from: from, to: to, clinics: nil, metrics: [StatisticMetric.notification.rawValue])) : []
        async let sentBefore = regionWide
            ? database.statistics(StatisticQuery(basis: .shown, from: previousFrom, to: previousTo, clinics: nil, metrics: [StatisticMetric.notification.rawValue])) : []
        async let readingsNow = database.statistics(StatisticQuery(basis: .shown, from: from, to: to, clinics: clinics, metrics: [StatisticMetric.firstFree.rawValue], byDay: true, byClinic: true))
        async let readingsBefore = database.statistics(StatisticQuery(basis: .shown, from: previousFrom, to: previousTo, clinics: clinics, metrics: [StatisticMetric.firstFree.rawValue], byDay: true, byClinic: true))
        let (current, before) = (try await nowTotals, try await beforeTotals)
        var figures: [StatisticMetric: [Figure]] = [:]
        for metric in metrics {
            figures[metric] = merge(current.filter { $0.metric == metric.rawValue }, before.filter { $0.metric == metric.rawValue }) { $0.key }
        }
        var perDay: [String: Int] = [:]
        for total in try await daily { perDay[total.day, default: 0] += total.value }
        let clinicsNow = try await clinicTotals, clinicsBefore = try await clinicBefore
        let shownNow = try await waitlistNow, shownBefore = try await waitlistBefore
        func shown(_ metric: StatisticMetric) -> [Figure] {
            merge(shownNow.filter { $0.metric == metric.rawValue }, shownBefore.filter { $0.metric == metric.rawValue }) { $0.key }
        }
        return StatisticsReport(
            basis: basis, from: from, to: to, previousFrom: previousFrom, previousTo: previousTo, figures: figures,
            byDay: StatisticsFill.days(from: from, through: to).map { ($0, perDay[$0] ?? 0) },
            byClinic: merge(clinicsNow, clinicsBefore) { $0.clinic },
            refusals: merge(try await refusalsNow, try await refusalsBefore) { $0.key },
            firstFree: firstFree(try await readingsNow, try await readingsBefore),
            waitlist: shown(.waitlist),
            decisions: shown(.decision),
            notifications: merge(try await sentNow, try await sentBefore) { $0.key }
        )
    }

    /// Readings by specialty: how many, and how many within the limit, now and before.
    private static func firstFree(_ now: [StatisticTotal], _ before: [StatisticTotal]) -> [FirstFree] {
        var tallies: [String: (Int, Int, Int, Int)] = [:]
        for (readings, current) in [(now, true), (before, false)] {
            for reading in readings {
                let code = String(reading.key.split(separator: "|").last ?? "")
                let kept = FirstFreeReading.withinLimit(minutes: reading.value, federalCode: code, day: reading.day)
                var tally = tallies[reading.key, default: (0, 0, 0, 0)]
                if current { tally.0 += 1; tally.1 += kept ? 1 : 0 } else { tally.2 += 1; tally.3 += kept ? 1 : 0 }
                tallies[reading.key] = tally
            }
        }
        return tallies.map { key, tally in
            let parts = key.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            return FirstFree(specialty: parts.first ?? key, federalCode: parts.count > 1 ? parts[1] : "", readings: tally.0, within: tally.1, previousReadings: tally.2, previousWithin: tally.3)
        }.sorted { $0.specialty < $1.specialty }
    }

    /// Sums of `now` and `before` by `key`, largest first (then by key).
    private static func merge(_ now: [StatisticTotal], _ before: [StatisticTotal], by key: (StatisticTotal) -> String) -> [Figure] {
        var values: [String: (Int, Int)] = [:]
        for total in now { values[key(total), default: (0, 0)].0 += total.value }
        for total in before { values[key(total), default: (0, 0)].1 += total.value }
        return values.map { Figure(key: $0.key, value: $0.value.0, previous: $0.value.1) }.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
    }

    /// The figures of one metric.
    public func figures(_ metric: StatisticMetric) -> [Figure] { figures[metric] ?? [] }

    /// All bookings of the period (and of the period before).
    public var bookings: (value: Int, previous: Int) {
        figures(.channel).reduce((0, 0)) { ($0.0 + $1.value, $0.1 + $1.previous) }
    }

    /// Bookings made remotely (site, kiosk, call centre, federal portal), and of the period before.
    public var remote: (value: Int, previous: Int) {
        figures(.channel).filter { MISChannel(rawValue: $0.key).map(StatisticMetric.remoteChannels.contains) ?? false }.reduce((0, 0)) { ($0.0 + $1.value, $0.1 + $1.previous) }
    }

    /// Missed ÷ (visited + missed), now and before; nil where nobody was expected.
    public var noShows: (value: Double?, previous: Double?) {
        let outcome = Dictionary(figures(.outcome).map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        func share(_ missed: Int, _ visited: Int) -> Double? { missed + visited == 0 ? nil : Double(missed) / Double(missed + visited) }
        return (share(outcome["missed"]?.value ?? 0, outcome["visited"]?.value ?? 0), share(outcome["missed"]?.previous ?? 0, outcome["visited"]?.previous ?? 0))
    }
}
