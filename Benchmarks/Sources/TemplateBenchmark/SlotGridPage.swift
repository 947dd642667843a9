import Foundation
import Templating

/// The page every engine renders: one doctor's slot grid for two weeks, as the patient flow shows it.
struct SlotGridPage: Sendable {
    struct Clinic: Sendable {
        let id: Int
        let name: String
        let shortName: String
        let address: String
        let phone: String
        let zoneLabel: String
    }

    struct Doctor: Sendable {
        let id: Int
        let name: String
        let specialty: String
        let room: String
    }

    struct Slot: Sendable {
        let id: Int
        let start: Date
        let time: String
        let free: Bool
    }

    struct Day: Sendable {
        let iso: String
        let date: Date
        let label: String
        let slots: [Slot]
        var hasSlots: Bool { !slots.isEmpty }
    }

    let clinic: Clinic
    let doctor: Doctor
    let days: [Day]
    let freeCount: Int
    let freeLabel: String
    let zone: TimeZone

    /// 14 days from Monday 23 November 2026, 20 slots of 20 minutes from 08:00, Sundays closed,
    /// about one slot in five taken — the same data on every run.
    static func sample() -> SlotGridPage {
        let zone = TimeZone(identifier: "Europe/Moscow")!
        let dayFormat = try! RussianDateFormat("EEEE, d MMMM")
        let timeFormat = try! RussianDateFormat("HH:mm")
        let isoFormat = try! RussianDateFormat("yyyy-MM-dd")
        let firstMidnight = Date(timeIntervalSince1970: 1_795_381_200)  // 2026-11-23 00:00 MSK
        var days: [Day] = []
        var slotID = 410_000
        var freeCount = 0
        for dayIndex in 0..<14 {
            let date = firstMidnight.addingTimeInterval(Double(dayIndex) * 86_400)
            var slots: [Slot] = []
            if dayIndex % 7 != 6 {
                for slotIndex in 0..<20 {
                    let start = date.addingTimeInterval(8 * 3_600 + Double(slotIndex) * 1_200)
                    let free = (dayIndex * 7 + slotIndex * 3) % 5 != 0
                    if free { freeCount += 1 }
                    slotID += 1
                    slots.append(Slot(id: slotID, start: start, time: timeFormat.string(from: start, in: zone), free: free))
                }
            }
            days.append(Day(iso: isoFormat.string(from: date, in: zone), date: date, label: dayFormat.string(from: date, in: zone), slots: slots))
        }
        let forms = RussianPluralForms(one: "талон", few: "талона", many: "талонов")
        return SlotGridPage(
            clinic: Clinic(
                id: 17,
                name: "ГБУЗ «Городская поликлиника № 3» Департамента здравоохранения & филиал № 1",
                shortName: "Поликлиника № 3",
                address: "г. Екатеринбург, ул. Ленина, д. 52, корп. 1",
                phone: "+7 343 210-00-03",
                zoneLabel: "МСК"
            ),
            doctor: Doctor(id: 3_051, name: "Иванова Мария Петровна", specialty: "Врач-терапевт участковый", room: "214"),
            days: days,
            freeCount: freeCount,
            freeLabel: "\(freeCount) \(forms.form(for: freeCount))",
            zone: zone
        )
    }
}
