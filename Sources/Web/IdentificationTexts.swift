import Booking

/// What a patient reads when identification does not go through, the same on the site and at a kiosk.
public enum IdentificationTexts {
    public static func policy(_ problem: PolicyNumber.Problem) -> String {
        switch problem {
        case .empty: "Введите номер полиса ОМС."
        case .checkDigitMismatch: "В номере полиса, похоже, опечатка: проверьте все 16 цифр."
        case .unrecognised: "Номер полиса — это 16 цифр, или серия и номер полиса старого образца."
        }
    }

    public static let birthDate = "Введите дату рождения в виде ДД.ММ.ГГГГ, например 05.03.1984."
    public static let throttled = "Слишком много неудачных попыток входа с этого адреса. Подождите час или обратитесь в регистратуру поликлиники."
    public static let documentAfterFailures = "С этим полисом недавно пытались войти с неверной датой рождения. Чтобы защитить ваши данные, укажите ещё серию и номер паспорта (или свидетельства о рождении) — и войдите как обычно."
    public static let several = "Найдено несколько карт с такими данными. Укажите серию и номер паспорта или свидетельства о рождении."
}
