/// Checks a person's own data as a machine door sends them (the federal portal's reservations, a
/// card to open): names of letters, a real birth date in the past, a policy and a SNILS whose check
/// digits hold. The first problem comes back as a sentence for staff; nil when all hold.
public enum PersonCheck {
    /// One of the person's names: letters (Cyrillic or Latin), with spaces, hyphens and apostrophes
    /// between them, at most 64 characters.
    public static func isName(_ text: String) -> Bool {
        guard !text.isEmpty, text.count <= 64, let first = text.first, let last = text.last, first.isLetter, last.isLetter else { return false }
        return text.allSatisfy { $0.isLetter || $0 == " " || $0 == "-" || $0 == "'" || $0 == "’" }
    }

    /// The first problem of the data, or nil. `middleName` may be empty; `today` is `YYYY-MM-DD`.
    public static func problem(lastName: String, firstName: String, middleName: String, birthDate: String, policy: String, snils: String?, phone: String?, today: String) -> String? {
        guard isName(lastName) else { return "Фамилия должна состоять из букв" }
        guard isName(firstName) else { return "Имя должно состоять из букв" }
        guard middleName.isEmpty || isName(middleName) else { return "Отчество должно состоять из букв" }
        guard BirthDate.parse(birthDate, today: today) == birthDate else { return "Дата рождения — прошедший день в виде ГГГГ-ММ-ДД" }
        do {
            _ = try PolicyNumber(parsing: policy)
        } catch .checkDigitMismatch {
            return "Не сходится контрольная цифра полиса"
        } catch {
            return "Номер полиса не распознан"
        }
        if let snils {
            guard (try? SNILS(parsing: snils)) != nil else { return "СНИЛС указан неверно (11 цифр с контрольной суммой)" }
        }
        if let phone {
            guard MobilePhone(parsing: phone) != nil else { return "Телефон указан неверно" }
        }
        return nil
    }
}
