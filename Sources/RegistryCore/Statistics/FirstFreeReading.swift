import CivilTime
import Foundation
import MISBridge
import Persistence

/// Time to the first available appointment: once a morning (from `hour`, clinic time) the registry
/// looks, for every clinic and specialty, how long a patient asking now would wait for the first free
/// time, and keeps it as a figure (minutes; -1 when the published schedule has none). The state
/// guarantees programme's limits are judged from these readings: within 24 hours for district
/// therapists, district paediatricians and general practitioners, within 14 working days for the others.
public struct FirstFreeReading: Sendable {
    let region: Region
    let database: any RegistryStore
    /// The local hour from which the day's reading is taken.
    public var hour = 8

    /// The specialties (federal codes) whose first free time is due within 24 hours.
    public static let primaryCareCodes: Set<String> = ["76", "68", "16"]

    public init(region: Region, database: any RegistryStore) {
        self.region = region
        self.database = database
    }

    /// Takes today's reading of every clinic whose morning has come and that has none yet; returns how many clinics were read.
    @discardableResult
    public func run(now: Date) async -> Int {
        guard let clinics = try? await region.clinics() else { return 0 }
        var read = 0
        for (clinic, client) in clinics {
            let zone = TimeZone(identifier: clinic.timeZone) ?? .current
            let local = ProtocolTime.string(now, in: zone)
            guard let hourNow = Int(local.dropFirst(11).prefix(2)), hourNow >= hour else { continue }
            let today = ProtocolTime.day(now, in: zone)
            let taken = StatisticQuery(basis: .shown, from: today, to: today, clinics: [clinic.id], metrics: [StatisticMetric.firstFree.rawValue])
            guard (try? await database.statistics(taken))?.isEmpty == true else { continue }
            guard let counts = try? await reading(clinic, client: client, today: today, now: now) else { continue }
            for count in counts { try? await database.addStatistic(count) }
            read += 1
        }
        return read
    }

    /// The clinic's reading: a figure a specialty, keyed `specialty|federal code`.
    func reading(_ clinic: MISClinic, client: MISClient, today: String, now: Date) async throws(MISFailure) -> [StatisticCount] {
        var counts: [StatisticCount] = []
        for specialty in try await client.specialties(clinic: clinic.id) {
            var minutes = -1
            if let day = specialty.nearestDate {
                let doctors = try await client.doctors(clinic: clinic.id, specialty: specialty.id).filter { $0.nearestDate == day }
                var first: Date?
                for doctor in doctors {
                    let slots = try await client.availableAppointments(clinic: clinic.id, doctor: doctor.id, from: day, to: day)
                    if let start = slots.map(\.start).filter({ $0 > now }).min(), first.map({ start < $0 }) ?? true { first = start }
                }
                if let first { minutes = Int(first.timeIntervalSince(now) / 60) }
            }
            counts.append(StatisticCount(basis: .shown, day: today, clinic: clinic.id, metric: StatisticMetric.firstFree.rawValue,
                                         key: specialty.id + "|" + specialty.federalCode, value: minutes))
        }
        return counts
    }

    /// Whether a reading of `minutes` (-1: none) taken on `day` keeps the programme's limit for a specialty of `federalCode`.
    public static func withinLimit(minutes: Int, federalCode: String, day: String) -> Bool {
        guard minutes >= 0 else { return false }
        if primaryCareCodes.contains(federalCode) { return minutes <= 24 * 60 }
        // Fourteen working days (Monday to Friday) after the reading's day, in calendar days.
        var left = 14, date = day, calendarDays = 0
        while left > 0, calendarDays < 30, let next = StatisticsFill.adding(1, to: date) {
            date = next
            calendarDays += 1
            if let weekday = CivilDate(isoDay: date)?.weekday, weekday < 5 { left -= 1 }
        }
        return minutes <= calendarDays * 24 * 60
    }
}
