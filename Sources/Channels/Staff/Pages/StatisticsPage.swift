import Booking
import Foundation
import MISBridge
import Persistence
import RegistryCore
import Templating
import Web

/// The statistics page: the period, the basis and the clinics chosen, the totals, and a section a
/// figure — bookings by channel (with the remote share), by day, by hour, by specialty, by clinic
/// or doctor, cancellations by who and how long before, refusals by rule, attendance and no-shows,
/// and for one clinic each doctor's fill rate — each with the period before beside it.
struct StatisticsPage: TemplateObject {
    let title: String
    let scope: String
    let periodText: String
    let basisNote: String
    let previousText: String
    let totals: [StatisticsSection.Row]
    let sections: [StatisticsSection]
    let periods: [SelectOption]
    let bases: [SelectOption]
    let clinics: [SelectOption]
    let from: FormField
    let to: FormField
    let errors: [FormError]
    let action = StaffRoute.statistics().path

    /// Names by id: clinics, specialties, doctors (`clinic/doctor`).
    struct Names {
        let clinics: [String: String]
        let specialties: [String: String]
        let doctors: [String: String]
    }

    init(report: StatisticsReport, choice: StatisticsChoice, names: Names, clinicChoices: [(id: String, name: String)], wholeRegion: Bool) {
        let by = choice.basis == .made ? "по дню записи" : "по дню приёма"
        basisNote = choice.basis == .made ? "Считается по дню, когда запись сделана" : "Считается по дню приёма"
        periodText = report.from == report.to ? DayName.typed(report.from) : DayName.typed(report.from) + " – " + DayName.typed(report.to)
        previousText = DayName.typed(report.previousFrom) + " – " + DayName.typed(report.previousTo)
        scope = choice.clinic.map { names.clinics[$0] ?? "поликлиника \($0)" } ?? (wholeRegion ? "все поликлиники региона" : "все ваши поликлиники")
        title = "Статистика: \(scope), \(periodText)"
        func url(_ table: String) -> String { StaffRoute.statisticsExport(table: table, choice).path }
        func items(_ figures: [StatisticsReport.Figure], label: (String) -> String) -> [StatisticsSection.Item] {
            figures.map { StatisticsSection.Item(label: label($0.key), value: Double($0.value), previous: Double($0.previous)) }
        }
        let (bookings, remote) = (report.bookings, report.remote)
        let noShows = report.noShows
        func share(_ part: Int, _ whole: Int) -> Double? { whole == 0 ? nil : Double(part) / Double(whole) }
        totals = [
            StatisticsSection.Row(label: "Записей", value: StatisticsSection.count(bookings.value), previous: StatisticsSection.count(bookings.previous),
                                  change: StatisticsSection.signed(Double(bookings.value - bookings.previous), decimals: 0), cells: []),
            StatisticsSection.Row(label: "Из них сделано удалённо (сайт, инфомат, контакт-центр, Госуслуги)",
                                  value: share(remote.value, bookings.value).map(StatisticsSection.percent) ?? "—",
                                  previous: share(remote.previous, bookings.previous).map(StatisticsSection.percent) ?? "—", change: "", cells: []),
            StatisticsSection.Row(label: "Неявки (не пришли ÷ пришли и не пришли)", value: noShows.value.map(StatisticsSection.percent) ?? "—",
                                  previous: noShows.previous.map(StatisticsSection.percent) ?? "—", change: "", cells: []),
        ]
        var sections = [
            StatisticsSection(id: "channels", title: "Записи по каналам", note: "Записи \(by), по каналу, через который они сделаны",
                              items: items(report.figures(.channel)) { MISChannel(rawValue: $0)?.title ?? $0 }, csvURL: url("channels")),
            StatisticsSection(id: "days", title: "Записи по дням", note: "Записи \(by), день за днём",
                              items: report.byDay.map { StatisticsSection.Item(label: DayName.typed($0.day).prefix(5).description, value: Double($0.value), previous: nil) },
                              orientation: .vertical, csvURL: url("days")),
            StatisticsSection(id: "hours", title: "Записи по часам", note: choice.basis == .made ? "Записи по часу, когда они сделаны" : "Записи по часу приёма",
                              items: report.figures(.hour).sorted { $0.key < $1.key }.map { StatisticsSection.Item(label: $0.key + ":00", value: Double($0.value), previous: Double($0.previous)) },
                              orientation: .vertical, csvURL: url("hours")),
            StatisticsSection(id: "specialties", title: "Записи по специальностям", note: "Записи \(by), по специальности врача",
                              items: items(report.figures(.specialty)) { names.specialties[$0] ?? "специальность \($0)" }, csvURL: url("specialties")),
        ]
        if let clinic = choice.clinic {
            sections.append(StatisticsSection(id: "doctors", title: "Записи по врачам", note: "Записи \(by), по врачу",
                                              items: items(report.figures(.doctor)) { names.doctors[clinic + "/" + $0] ?? "врач \($0)" }, csvURL: url("doctors")))
            let held = Dictionary(report.figures(.held).map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
            let fill = report.figures(.slots).map { slots in
                StatisticsSection.Item(label: names.doctors[clinic + "/" + slots.key] ?? "врач \(slots.key)",
                                       value: slots.value == 0 ? 0 : Double(held[slots.key]?.value ?? 0) / Double(slots.value),
                                       previous: slots.previous == 0 ? nil : Double(held[slots.key]?.previous ?? 0) / Double(slots.previous))
            }.sorted { ($1.value, $0.label) < ($0.value, $1.label) }
            sections.append(StatisticsSection(id: "fill", title: "Заполняемость расписания", note: "Доля опубликованных времён приёма, на которые кто-то записан, по врачу и дню приёма",
                                              items: fill, percent: true, valueHeader: "Занято", csvURL: url("fill")))
        } else {
            sections.append(StatisticsSection(id: "clinics", title: "Записи по поликлиникам", note: "Записи \(by), по поликлинике",
                                              items: items(report.byClinic) { names.clinics[$0] ?? "поликлиника \($0)" }, csvURL: url("clinics")))
        }
        let outcomeTitles = ["visited": "пришли", "missed": "не пришли", "active": "ещё не отмечены", "cancelled": "отменены", "reserved": "ждут подтверждения", "displaced": "выпали из расписания"]
        sections += [
            StatisticsSection(id: "outcome", title: "Чем закончились записи", note: "Записи \(by): пришёл ли пациент, отменена ли запись",
                              items: items(report.figures(.outcome)) { outcomeTitles[$0] ?? $0 }, csvURL: url("outcome")),
            StatisticsSection(id: "cancelled-by", title: "Кто отменил", note: "Отменённые записи \(by): сам пациент (сайт, инфомат, Госуслуги), оператор контакт-центра, поликлиника",
                              items: items(report.figures(.cancelledBy)) { ["patient": "пациент", "operator": "оператор", "clinic": "поликлиника"][$0] ?? $0 }, csvURL: url("cancelled-by")),
            StatisticsSection(id: "cancel-lead", title: "За сколько до приёма отменяют", note: "Отменённые записи \(by), по времени от отмены до приёма",
                              items: StatisticMetric.CancelLead.allCases.compactMap { lead in
                                  report.figures(.cancelLead).first { $0.key == lead.rawValue }.map {
                                      StatisticsSection.Item(label: ["0-2h": "меньше 2 часов", "2-24h": "2–24 часа", "1-3d": "1–3 дня", "3d+": "больше 3 дней"][$0.key] ?? $0.key,
                                                             value: Double($0.value), previous: Double($0.previous))
                                  }
                              }, csvURL: url("cancel-lead")),
            StatisticsSection(id: "first-free", title: "Ближайшая свободная запись в срок",
                              note: "Доля утренних замеров, когда первое свободное время было в пределах срока программы госгарантий: 24 часа для участковых терапевтов, педиатров и врачей общей практики, 14 рабочих дней для остальных",
                              items: report.firstFree.filter { $0.readings > 0 }.map { reading in
                                  let limit = FirstFreeReading.primaryCareCodes.contains(reading.federalCode) ? "24 ч" : "14 раб. дн."
                                  return StatisticsSection.Item(label: (names.specialties[reading.specialty] ?? "специальность \(reading.specialty)") + " (\(limit))",
                                                                value: Double(reading.within) / Double(reading.readings),
                                                                previous: reading.previousReadings == 0 ? nil : Double(reading.previousWithin) / Double(reading.previousReadings))
                              }, percent: true, valueHeader: "В срок", csvURL: url("first-free")),
            StatisticsSection(id: "waitlist", title: "Лист ожидания", note: "Предложения освободившегося времени пациентам из листа ожидания и сколько из них приняли, по дню",
                              items: items(report.waitlist) { ["offered": "предложено", "taken": "принято"][$0] ?? $0 }, valueHeader: "Предложений", csvURL: url("waitlist")),
            StatisticsSection(id: "decisions", title: "Записи, ждавшие решения поликлиники",
                              note: "Брони, подтверждённые и отклонённые регистраторами, записи, выпавшие из расписания, перенесённые и отменённые, — и сколько каждая ждала решения, по дню решения",
                              items: items(report.decisions, label: Self.decision), valueHeader: "Записей", csvURL: url("decisions")),
            StatisticsSection(id: "refusals", title: "Отказы в записи", note: "Отказы, которые показал регистр, по правилу и каналу, по дню отказа",
                              items: Self.refusals(report.refusals), valueHeader: "Отказов", csvURL: url("refusals")),
        ]
        if wholeRegion && choice.clinic == nil {
            sections.append(StatisticsSection(id: "notifications", title: "Сообщения пациентам", note: "Письма и SMS, отправленные и не доставленные после всех попыток, по дню (по всему региону)",
                                              items: items(report.notifications) { key in
                                                  let parts = key.split(separator: "-").map(String.init)
                                                  let channel = ["email": "письма", "sms": "SMS"][parts.first ?? ""] ?? (parts.first ?? key)
                                                  return channel + (parts.last == "sent" ? ": отправлено" : ": не доставлено")
                                              }, valueHeader: "Сообщений", csvURL: url("notifications")))
        }
        self.sections = sections
        periods = [("day", "день"), ("week", "неделя"), ("month", "месяц"), ("range", "свои даты")].map { SelectOption(value: $0.0, label: $0.1, selected: $0.0 == choice.period.rawValue) }
        bases = [("made", "по дню записи"), ("visit", "по дню приёма")].map { SelectOption(value: $0.0, label: $0.1, selected: $0.0 == choice.basis.rawValue) }
        clinics = [SelectOption(value: "", label: wholeRegion ? "Все поликлиники региона" : "Все мои поликлиники", selected: choice.clinic == nil)]
            + clinicChoices.map { SelectOption(value: $0.id, label: $0.name, selected: $0.id == choice.clinic) }
        from = FormField("from", label: "С", value: report.from, errors: [], input: .date)
        to = FormField("to", label: "По (для своих дат)", value: report.to, errors: [], input: .date)
        errors = []
    }

    /// The form alone, with what was wrong with the period asked (`typed` as it came).
    init(problem: String, typed: (period: String?, from: String?, to: String?, basis: String?, clinic: String?), clinicChoices: [(id: String, name: String)], wholeRegion: Bool) {
        title = "Ошибка: статистика"
        scope = ""
        periodText = ""
        basisNote = ""
        previousText = ""
        totals = []
        sections = []
        errors = [FormError(field: "from", message: problem)]
        periods = [("day", "день"), ("week", "неделя"), ("month", "месяц"), ("range", "свои даты")].map { SelectOption(value: $0.0, label: $0.1, selected: $0.0 == (typed.period ?? "month")) }
        bases = [("made", "по дню записи"), ("visit", "по дню приёма")].map { SelectOption(value: $0.0, label: $0.1, selected: $0.0 == (typed.basis ?? "made")) }
        clinics = [SelectOption(value: "", label: wholeRegion ? "Все поликлиники региона" : "Все мои поликлиники", selected: typed.clinic == nil)]
            + clinicChoices.map { SelectOption(value: $0.id, label: $0.name, selected: $0.id == typed.clinic) }
        from = FormField("from", label: "С", value: String((typed.from ?? "").prefix(40)), errors: errors, input: .date)
        to = FormField("to", label: "По (для своих дат)", value: String((typed.to ?? "").prefix(40)), errors: [], input: .date)
    }

    /// Refusals by rule and channel (specialties summed).
    private static func refusals(_ figures: [StatisticsReport.Figure]) -> [StatisticsSection.Item] {
        var sums: [String: (Double, Double)] = [:]
        for figure in figures {
            let parts = figure.key.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            let rule = parts.first.flatMap(Refusal.Code.init(rawValue:)).map(RefusalTexts.title) ?? (parts.first ?? figure.key)
            let label = rule + ", " + (parts.count > 1 ? MISChannel(rawValue: parts[1])?.title ?? parts[1] : "")
            sums[label, default: (0, 0)].0 += Double(figure.value)
            sums[label, default: (0, 0)].1 += Double(figure.previous)
        }
        return sums.map { StatisticsSection.Item(label: $0.key, value: $0.value.0, previous: $0.value.1) }.sorted { ($1.value, $0.label) < ($0.value, $1.label) }
    }

    /// A decision's key as the table reads it: «подтверждена, ждала 1–4 ч».
    static func decision(_ key: String) -> String {
        let parts = key.split(separator: "|").map(String.init)
        let what = ["displaced": "выпала из расписания", "confirmed": "бронь подтверждена", "refused": "бронь отклонена", "moved": "перенесена поликлиникой",
                    "cancelled": "отменена поликлиникой"][parts[0]] ?? parts[0]
        guard parts.count == 2 else { return what }
        let waited = ["0-1h": "до часа", "1-4h": "1–4 ч", "4-24h": "4–24 ч", "1d+": "больше суток"][parts[1]]
        return what + (waited.map { ", ждала " + $0 } ?? "")
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "scope": .string(scope)
        case "periodText": .string(periodText)
        case "basisNote": .string(basisNote)
        case "previousText": .string(previousText)
        case "totals": .list(totals.map { .object($0) })
        case "sections": .list(sections.map { .object($0) })
        case "periods": .list(periods.map { .object($0) })
        case "bases": .list(bases.map { .object($0) })
        case "clinics": .list(clinics.map { .object($0) })
        case "from": .object(from)
        case "to": .object(to)
        case "errors": .list(errors.map { .object($0) })
        case "action": .string(action)
        default: nil
        }
    }
}
