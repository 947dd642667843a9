import CivilTime
import Foundation
import Logging
import MISBridge
import Persistence
import ServiceLifecycle

/// Fills the statistics from the clinics' MISes: each clinic's days that ended and are not filled
/// yet — on the first start, the MIS's past weeks too (`backfillDays`) — read through GetSchedule
/// (a window reaching as far past each day as bookings made on it can be for) and counted by
/// `StatisticsCounter`. A clinic whose MIS does not answer is tried again at the next round.
public struct StatisticsFill: Sendable {
    let region: Region
    let database: any RegistryStore
    let logger: Logger
    /// How many days before today a clinic's first fill goes back.
    public var backfillDays = 28
    /// How far past a day its bookings can be for (the MISes' horizons).
    public var horizonDays = 30

    public init(region: Region, database: any RegistryStore, logger: Logger) {
        self.region = region
        self.database = database
        self.logger = logger
    }

    /// Fills every clinic's unfilled days up to its yesterday; returns how many clinic-days were filled.
    @discardableResult
    public func run(now: Date) async -> Int {
        let clinics: [(clinic: MISClinic, client: MISClient)]
        do {
            clinics = try await region.clinics()
        } catch {
            logger.notice("statistics not filled: no clinic list", metadata: ["error.type": .string(String(describing: error.kind))])
            return 0
        }
        var filled = 0
        for (clinic, client) in clinics {
            do {
                filled += try await fill(clinic, client: client, now: now)
            } catch {
                logger.notice("statistics of a clinic not filled this round", metadata: ["mis.clinic": .string(clinic.id), "error.type": .string(String(describing: type(of: error)))])
            }
        }
        return filled
    }

    /// Fills `clinic`'s unfilled days, oldest first, in windows of GetSchedule's 31 days.
    func fill(_ clinic: MISClinic, client: MISClient, now: Date) async throws -> Int {
        let zone = TimeZone(identifier: clinic.timeZone) ?? .current
        let today = ProtocolTime.day(now, in: zone)
        guard let yesterday = Self.adding(-1, to: today), let earliest = Self.adding(-backfillDays, to: today) else { return 0 }
        let last = try await database.lastFilledStatisticDay(clinic: clinic.id)
        guard var first = last.flatMap({ Self.adding(1, to: $0) }).map({ max($0, earliest) }) ?? Optional(earliest), first <= yesterday else { return 0 }
        var filled = 0
        while first <= yesterday {
            // Days to count: a few at a time, so that their window (the days and their horizon) is one or two GetSchedule periods.
            let end = min(yesterday, Self.adding(6, to: first) ?? yesterday)
            let days = Self.days(from: first, through: end)
            var schedule: [MISScheduleDoctor] = []
            var windowStart = first
            let windowEnd = Self.adding(horizonDays, to: end) ?? end
            while windowStart <= windowEnd {
                let windowStop = min(windowEnd, Self.adding(30, to: windowStart) ?? windowEnd)
                schedule += try await client.schedule(clinic: clinic.id, doctor: nil, from: windowStart, to: windowStop)
                guard let next = Self.adding(1, to: windowStop) else { break }
                windowStart = next
            }
            let counts = StatisticsCounter(clinic: clinic.id, zone: zone, days: Set(days)).count(schedule)
            try await database.replaceStatistics(clinic: clinic.id, days: days, counts: counts, names: StatisticsCounter.names(schedule, clinic: clinic), now: now)
            filled += days.count
            guard let next = Self.adding(1, to: end) else { break }
            first = next
        }
        logger.info("statistics filled", metadata: ["mis.clinic": .string(clinic.id), "statistics.days": .stringConvertible(filled)])
        return filled
    }

    static func adding(_ offset: Int, to day: String) -> String? {
        CivilDate.day(day, plus: offset)
    }

    static func days(from first: String, through last: String) -> [String] {
        var days: [String] = [], day = first
        while day <= last, days.count < 400 {
            days.append(day)
            guard let next = adding(1, to: day) else { break }
            day = next
        }
        return days
    }
}

/// Keeps the statistics filled: a round soon after start (the first fills the MIS's past weeks),
/// then every fifteen minutes (a clinic's day is filled in the first round after it ended, and its
/// morning's first-free reading taken in the first round after the hour).
public struct StatisticsRounds: Service {
    let fill: StatisticsFill
    let firstFree: FirstFreeReading
    let now: @Sendable () -> Date

    public init(fill: StatisticsFill, firstFree: FirstFreeReading, now: @escaping @Sendable () -> Date = Date.init) {
        self.fill = fill
        self.firstFree = firstFree
        self.now = now
    }

    public func run() async throws {
        // Ends as soon as graceful shutdown begins, so SIGTERM stops the server promptly.
        try? await cancelWhenGracefulShutdown {
            try await Task.sleep(for: .seconds(3))
            while !Task.isCancelled {
                await fill.run(now: now())
                await firstFree.run(now: now())
                try await Task.sleep(for: .seconds(15 * 60))
            }
        }
    }
}
