import Booking
import Templating

/// Who reads a refusal: the patient themselves («у вас»), or staff booking for someone — the
/// call-centre operator or a registrar speaking with the caller («у пациента»).
public enum RefusalAudience {
    case patient
    case staff
}

/// What each refusal code means and what to do next, in plain Russian, for each audience. The
/// codes are the booking rules' (the same for every channel); the figures come from the rules in force.
public enum RefusalTexts {
    /// The rule's short name, for lists and figures: «время уже прошло», «уже записан в этот день».
    public static func title(_ code: Refusal.Code) -> String {
        switch code {
        case .slotInPast: "время уже прошло"
        case .tooSoon: "слишком близко к приёму"
        case .beyondHorizon: "дальше срока записи"
        case .alreadyBookedThatDay: "уже записан в этот день"
        case .childrenOnly: "только для детей"
        case .adultsOnly: "только для взрослых"
        case .tooYoung: "не подходит по возрасту (младше)"
        case .tooOld: "не подходит по возрасту (старше)"
        case .dispensaryOnly: "только для диспансерного учёта"
        case .referralOnly: "только по направлению"
        case .slotTaken: "время уже занято"
        case .notAttached: "нет прикрепления"
        case .patientNotFound: "пациент не найден"
        case .severalPatients: "найдено несколько пациентов"
        case .bookingForbidden: "запись запрещена МИС"
        case .clinicUnavailable: "поликлиника не отвечает"
        case .moveElsewhere: "перенос в другую поликлинику"
        case .referralNotFound: "направление не найдено"
        case .referralUsed: "направление уже использовано"
        case .referralExpired: "направление просрочено"
        case .referralOtherSpecialty: "направление к другому специалисту"
        }
    }

    public static func explanation(_ code: Refusal.Code, for audience: RefusalAudience, rules: BookingRules) -> String {
        let hours = RussianCount.hours(rules.leadTime / 3_600)
        let days = RussianCount.days(rules.horizonDays)
        switch audience {
        case .patient: return patient(code, hours: hours, days: days)
        case .staff: return staff(code, hours: hours, days: days)
        }
    }

    private static func patient(_ code: Refusal.Code, hours: String, days: String) -> String {
        switch code {
        case .slotInPast: "Это время уже прошло. Выберите другое время."
        case .tooSoon: "Через интернет можно записаться не позднее чем за \(hours) до приёма. Выберите более позднее время или позвоните в регистратуру поликлиники."
        case .beyondHorizon: "Запись на это время ещё не открыта: расписание публикуется на \(days) вперёд, новый день открывается каждое утро."
        case .alreadyBookedThatDay: "У вас уже есть запись к врачу этой специальности на этот день. Выберите другой день или перенесите прежнюю запись на это время."
        case .childrenOnly: "Этот врач принимает только детей до 18 лет. Взрослым нужно записаться к терапевту или врачу общей практики."
        case .adultsOnly: "Этот врач принимает только взрослых. Детей записывают к педиатру."
        case .tooYoung, .tooOld: "Этот врач не принимает пациентов вашего возраста. Уточните, к кому записаться, в регистратуре поликлиники."
        case .dispensaryOnly: "Самостоятельно к этому специалисту записываются те, кто состоит у него на диспансерном учёте, или по направлению. Возьмите направление у участкового врача и укажите его номер при записи."
        case .referralOnly: "К этому специалисту записывают по направлению. Возьмите направление у участкового врача или врача общей практики и укажите его номер при записи."
        case .slotTaken: "Это время только что занял другой пациент. Выберите другое время — ниже ближайшие свободные."
        case .notAttached: "К этому врачу записываются только пациенты, прикреплённые к поликлинике. Запишитесь к своему участковому врачу или прикрепитесь к этой поликлинике в её регистратуре."
        case .patientNotFound: "Мы не нашли вашу карту в этой поликлинике. Проверьте номер полиса и дату рождения или обратитесь в регистратуру поликлиники."
        case .severalPatients: "В поликлинике несколько карт с такими данными. Укажите номер документа, удостоверяющего личность."
        case .bookingForbidden: "Поликлиника не разрешает такую запись через интернет. Позвоните в регистратуру поликлиники."
        case .clinicUnavailable: "Поликлиника сейчас не отвечает. Попробуйте через несколько минут или позвоните в регистратуру."
        case .moveElsewhere: "Перенести запись можно только к врачу той же специальности в той же поликлинике. Чтобы записаться в другое место, запишитесь заново и отмените прежнюю запись."
        case .referralNotFound: "Направления с таким номером на ваше имя в этой поликлинике нет. Проверьте номер на бланке направления — или уточните его у врача, который его выписал."
        case .referralUsed: "По этому направлению уже есть запись. Найдите её в разделе «Мои записи»; для новой записи нужно новое направление."
        case .referralExpired: "Срок направления истёк раньше выбранного дня. Выберите время пораньше или возьмите новое направление у врача."
        case .referralOtherSpecialty: "Это направление выписано к врачу другой специальности. Выберите специалиста, указанного в направлении."
        }
    }

    private static func staff(_ code: Refusal.Code, hours: String, days: String) -> String {
        switch code {
        case .slotInPast: "Это время уже прошло. Предложите пациенту другое время."
        case .tooSoon: "Записать можно не позднее чем за \(hours) до приёма. Предложите более позднее время или передайте пациента регистратуре поликлиники."
        case .beyondHorizon: "Запись на это время ещё не открыта: расписание публикуется на \(days) вперёд. Предложите время в пределах расписания."
        case .alreadyBookedThatDay: "У пациента уже есть запись к врачу этой специальности на этот день. Предложите другой день или перенесите прежнюю запись на это время."
        case .childrenOnly: "Этот врач принимает только детей до 18 лет. Взрослого пациента запишите к терапевту или врачу общей практики."
        case .adultsOnly: "Этот врач принимает только взрослых. Ребёнка запишите к педиатру."
        case .tooYoung, .tooOld: "Этот врач не принимает пациентов такого возраста. Уточните в поликлинике, к кому записать пациента."
        case .dispensaryOnly: "Пациент не состоит на диспансерном учёте у этого специалиста. Записать можно по направлению участкового врача."
        case .referralOnly: "К этому специалисту записывают по направлению. Спросите у пациента номер направления."
        case .slotTaken: "Это время только что заняли. Предложите пациенту другое время — ниже ближайшие свободные."
        case .notAttached: "Пациент не прикреплён к этой поликлинике, а к этому врачу записывают только прикреплённых. Запишите его к участковому врачу его поликлиники."
        case .patientNotFound: "Карта пациента в этой поликлинике не найдена. Проверьте полис и дату рождения или поищите пациента по СНИЛС или паспорту."
        case .severalPatients: "В поликлинике несколько карт с такими данными. Уточните у пациента документ, удостоверяющий личность."
        case .bookingForbidden: "Поликлиника не разрешает такую запись удалённо. Передайте пациента регистратуре поликлиники."
        case .clinicUnavailable: "Поликлиника сейчас не отвечает. Повторите через несколько минут или продиктуйте пациенту телефон регистратуры."
        case .moveElsewhere: "Перенести запись можно только к врачу той же специальности в той же поликлинике. Для другой поликлиники сделайте новую запись и отмените прежнюю."
        case .referralNotFound: "Направления с таким номером для этого пациента в поликлинике нет. Попросите пациента прочитать номер с бланка ещё раз."
        case .referralUsed: "По этому направлению пациент уже записан. Для новой записи нужно новое направление."
        case .referralExpired: "Срок направления истёк раньше выбранного дня. Предложите пациенту время пораньше."
        case .referralOtherSpecialty: "Направление выписано к врачу другой специальности. Выберите специалиста из направления."
        }
    }
}

/// Counts of hours and days with the word that fits («3 часа», «1,5 часа», «14 дней»).
public enum RussianCount {
    private static let hourForms = RussianPluralForms(one: "час", few: "часа", many: "часов")
    private static let dayForms = RussianPluralForms(one: "день", few: "дня", many: "дней")
    private static let freeTimeForms = RussianPluralForms(one: "свободный талон", few: "свободных талона", many: "свободных талонов")

    public static func hours(_ value: Double) -> String {
        RussianNumberFormat.string(value, decimals: value == value.rounded() ? 0 : 1) + " " + hourForms.form(for: value)
    }

    public static func days(_ value: Int) -> String {
        "\(value) \(dayForms.form(for: value))"
    }

    /// «5 свободных талонов», as a day button says how much it has.
    public static func freeTimes(_ value: Int) -> String {
        "\(value) \(freeTimeForms.form(for: value))"
    }
}
