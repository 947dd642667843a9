import Foundation
import MISBridge
import Persistence

/// Turns what a clinic's MIS tells of a period (GetSchedule) into the figures of some of its days:
/// by the day each booking was made and by the day of its visit — channel, specialty, doctor, hour,
/// how it stands, who cancelled and how long before — and each doctor's published and held times.
/// No person's data goes into a figure.
public struct StatisticsCounter: Sendable {
    public let clinic: String
    public let zone: TimeZone
    /// The days whose figures are wanted (`YYYY-MM-DD`, the clinic's days).
    public let days: Set<String>

    public init(clinic: String, zone: TimeZone, days: Set<String>) {
        self.clinic = clinic
        self.zone = zone
        self.days = days
    }

    /// The figures of `days` found in `schedule`, which must hold every slot of those days and of
    /// the days their bookings may be for; summed by key.
    public func count(_ schedule: [MISScheduleDoctor]) -> [StatisticCount] {
        var sums: [Key: Int] = [:]
        func add(_ basis: StatisticCount.Basis, _ day: String, _ metric: StatisticMetric, _ key: String, _ value: Int = 1) {
            sums[Key(basis: basis, day: day, metric: metric, key: key), default: 0] += value
        }
        for doctor in schedule {
            for slot in doctor.slots {
                let visitDay = ProtocolTime.day(slot.start, in: zone)
                let visiting = days.contains(visitDay)
                if visiting, slot.state != .closed {
                    add(.visit, visitDay, .slots, doctor.id)
                    if slot.state == .booked { add(.visit, visitDay, .held, doctor.id) }
                }
                for booking in slot.bookings {
                    let madeDay = ProtocolTime.day(booking.createdAt, in: zone)
                    for (basis, day, moment) in [(StatisticCount.Basis.visit, visitDay, slot.start), (.made, madeDay, booking.createdAt)] where days.contains(day) {
                        add(basis, day, .channel, booking.channel.rawValue)
                        add(basis, day, .specialty, doctor.specialtyID)
                        add(basis, day, .doctor, doctor.id)
                        add(basis, day, .hour, hour(moment))
                        add(basis, day, .outcome, booking.status.rawValue)
                        if booking.status == .cancelled {
                            add(basis, day, .cancelledBy, StatisticMetric.CancelledBy(booking.cancelledBy).rawValue)
                            let lead = slot.start.timeIntervalSince(booking.cancelledAt ?? slot.start)
                            add(basis, day, .cancelLead, StatisticMetric.CancelLead(seconds: lead).rawValue)
                        }
                    }
                }
            }
        }
        return sums.map { StatisticCount(basis: $0.key.basis, day: $0.key.day, clinic: clinic, metric: $0.key.metric.rawValue, key: $0.key.key, value: $0.value) }
            .sorted { ($0.basis.rawValue, $0.day, $0.metric, $0.key) < ($1.basis.rawValue, $1.day, $1.metric, $1.key) }
    }

    /// The names the figures show: the clinic's specialties and doctors.
    public static func names(_ schedule: [MISScheduleDoctor], clinic: MISClinic) -> [StatisticName] {
        var names = ["clinic/" + clinic.id: StatisticName(kind: "clinic", id: clinic.id, name: clinic.shortName)]
        for doctor in schedule {
            names["doctor/\(clinic.id)/\(doctor.id)"] = StatisticName(kind: "doctor", id: clinic.id + "/" + doctor.id, name: doctor.name)
            names["specialty/" + doctor.specialtyID] = StatisticName(kind: "specialty", id: doctor.specialtyID, name: doctor.specialtyName)
        }
        return names.values.sorted { ($0.kind, $0.id) < ($1.kind, $1.id) }
    }

    private func hour(_ moment: Date) -> String {
        String(ProtocolTime.string(moment, in: zone).dropFirst(11).prefix(2))
    }

    private struct Key: Hashable {
        let basis: StatisticCount.Basis
        let day: String
        let metric: StatisticMetric
        let key: String
    }
}
