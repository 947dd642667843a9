import Foundation
import MISBridge
import Persistence
import RegistryCore
import Templating
import Web

/// Doctors' schedules to print: a sheet a doctor (each starts a page, A4 landscape), and on it a
/// grid a week — the doctor's working days across, the times down; each cell free, held (surname,
/// initials, ticket) or closed. The clinic's time zone is named on every sheet.
struct ScheduleSheetsPage: TemplateObject {
    /// One cell of a week's grid.
    struct Cell: TemplateObject {
        let text: String
        /// `free`, `booked`, `closed`, or `none` where the doctor has no slot at that time.
        let state: String

        func templateValue(forKey key: String) -> TemplateValue? {
            switch key {
            case "text": .string(text)
            case "state": .string(state)
            default: nil
            }
        }
    }

    /// One time of a week's grid and its cells, a day each.
    struct Row: TemplateObject {
        let time: String
        let cells: [Cell]

        func templateValue(forKey key: String) -> TemplateValue? {
            switch key {
            case "time": .string(time)
            case "cells": .list(cells.map { .object($0) })
            default: nil
            }
        }
    }

    /// One week of a doctor's sheet.
    struct Week: TemplateObject {
        let caption: String
        let days: [String]
        let rows: [Row]

        func templateValue(forKey key: String) -> TemplateValue? {
            switch key {
            case "caption": .string(caption)
            case "days": .list(days.map { .string($0) })
            case "rows": .list(rows.map { .object($0) })
            default: nil
            }
        }
    }

    /// One doctor's sheet.
    struct Sheet: TemplateObject {
        let doctor: String
        let specialty: String
        let room: String
        let weeks: [Week]
        let booked: Int
        let free: Int

        func templateValue(forKey key: String) -> TemplateValue? {
            switch key {
            case "doctor": .string(doctor)
            case "specialty": .string(specialty)
            case "room": .string(room)
            case "weeks": .list(weeks.map { .object($0) })
            case "booked": .int(booked)
            case "free": .int(free)
            default: nil
            }
        }
    }

    let title: String
    let clinic: String
    let period: String
    let zoneNote: String
    let sheets: [Sheet]
    let printedAt: String
    let printedBy: String

    private static let clock = try! RussianDateFormat("HH:mm")
    private static let dayHeader = try! RussianDateFormat("EE, d MMMM")
    private static let moment = try! RussianDateFormat("dd.MM.yyyy HH:mm")

    init(schedules: DoctorSchedules, viewer: StaffAccount, now: Date) {
        let zone = TimeZone(identifier: schedules.clinic.timeZone) ?? .current
        clinic = schedules.clinic.shortName
        period = DayName.typed(schedules.from) + " – " + DayName.typed(schedules.to)
        title = "Расписание врачей: \(schedules.clinic.shortName), \(period)"
        let noon = ProtocolTime.startOfDay(schedules.from, in: zone)?.addingTimeInterval(12 * 3_600) ?? now
        zoneNote = "Время — " + ZoneNote.describe(schedules.clinic.timeZone, at: noon)
        sheets = schedules.sheets.map { Self.sheet($0, zone: zone) }
        printedAt = Self.moment.string(from: now, in: zone)
        printedBy = viewer.name
    }

    private static func sheet(_ sheet: DoctorSchedules.Sheet, zone: TimeZone) -> Sheet {
        let weeks = Dictionary(grouping: sheet.days) { TypedDay.monday(of: $0.day) ?? $0.day }.sorted { $0.key < $1.key }.map { _, days in
            week(days.sorted { $0.day < $1.day }, zone: zone)
        }
        let slots = sheet.days.flatMap(\.slots)
        return Sheet(doctor: sheet.doctor.name, specialty: sheet.doctor.specialtyInPhrase,
                     room: sheet.doctor.room, weeks: weeks, booked: slots.filter { $0.holder != nil }.count, free: slots.filter { $0.state == .free }.count)
    }

    private static func week(_ days: [(day: String, slots: [DoctorSchedules.Slot])], zone: TimeZone) -> Week {
        let byTime = days.map { day in Dictionary(day.slots.map { (clock.string(from: $0.start, in: zone), $0) }, uniquingKeysWith: { first, _ in first }) }
        let times = Set(byTime.flatMap(\.keys)).sorted()
        let rows = times.map { time in
            Row(time: time, cells: byTime.map { slots in slots[time].map(cell) ?? Cell(text: "", state: "none") })
        }
        let headers = days.map { day in (day.slots.first?.start).map { dayHeader.string(from: $0, in: zone) } ?? DayName.typed(day.day) }
        let caption = "Неделя: " + DayName.typed(days.first?.day ?? "") + (days.count > 1 ? " – " + DayName.typed(days.last?.day ?? "") : "")
        return Week(caption: caption, days: headers, rows: rows)
    }

    private static func cell(_ slot: DoctorSchedules.Slot) -> Cell {
        if let holder = slot.holder { return Cell(text: shortName(holder.patientName) + (holder.ticket.map { " · " + $0 } ?? ""), state: "booked") }
        return slot.state == .closed ? Cell(text: "нет приёма", state: "closed") : Cell(text: "свободно", state: "free")
    }

    /// «Иванова Анна Петровна» → «Иванова А. П.».
    static func shortName(_ full: String) -> String {
        let parts = full.split(separator: " ")
        guard let surname = parts.first else { return full }
        return ([String(surname)] + parts.dropFirst().compactMap { $0.first.map { "\($0)." } }).joined(separator: " ")
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "clinic": .string(clinic)
        case "period": .string(period)
        case "zoneNote": .string(zoneNote)
        case "sheets": .list(sheets.map { .object($0) })
        case "printedAt": .string(printedAt)
        case "printedBy": .string(printedBy)
        default: nil
        }
    }
}
