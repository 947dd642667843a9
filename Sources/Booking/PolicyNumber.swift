/// An OMS policy number as a patient types it: the 16-digit unified number (ЕНП) with its check
/// digit, or an old-style policy of series and number.
public enum PolicyNumber: Equatable, Hashable, Sendable {
    /// The 16-digit unified policy number.
    case unified(String)
    /// An old-style policy: series (letters or digits, may be empty) and number.
    case legacy(series: String, number: String)

    /// Why typed text is not a policy number, in words a patient can act on.
    public enum Problem: Error, Equatable, Sendable {
        case empty
        /// 16 digits whose last one does not match the others: a typo.
        case checkDigitMismatch
        /// Neither 16 digits nor a plausible series and number.
        case unrecognised
    }

    /// Reads a policy number forgivingly: spaces, hyphens and dashes of any kind and a "№" are ignored.
    public init(parsing text: String) throws(Problem) {
        let cleaned = text.uppercased().filter { !$0.isWhitespace && !Separators.isDash($0) && $0 != "№" }
        guard !cleaned.isEmpty else { throw .empty }
        if cleaned.count == 16, cleaned.allSatisfy(\.isASCIIDigit) {
            guard Self.isValidUnified(cleaned) else { throw .checkDigitMismatch }
            self = .unified(cleaned)
            return
        }
        // Old policies: an optional series of up to 12 letters/digits, then a number of 6–10 digits —
        // split where the patient put a space or "№", or else where the trailing digits begin.
        let groups = text.uppercased().split(whereSeparator: { $0.isWhitespace || $0 == "№" }).map { $0.filter { !Separators.isDash($0) } }
        let series: String
        let number: String
        if groups.count == 2, groups[1].allSatisfy(\.isASCIIDigit) {
            series = String(groups[0])
            number = String(groups[1])
        } else {
            let digitsAtEnd = cleaned.reversed().prefix(while: \.isASCIIDigit).count
            number = String(cleaned.suffix(digitsAtEnd))
            series = String(cleaned.dropLast(digitsAtEnd))
        }
        guard (6...10).contains(number.count), series.count <= 12,
            series.allSatisfy({ $0.isASCIIDigit || $0.isLetter })
        else { throw .unrecognised }
        self = .legacy(series: series, number: number)
    }

    /// The number as the MIS protocol carries it: 16 digits, or series and number joined by a space.
    public var protocolValue: String {
        switch self {
        case .unified(let digits): digits
        case .legacy(let series, let number): series.isEmpty ? number : "\(series) \(number)"
        }
    }

    /// The Luhn check over the first 15 digits, which the 16th must equal.
    public static func checkDigit(forFirst15 digits: some Collection<Character>) -> Character {
        var sum = 0
        for (position, character) in digits.reversed().enumerated() {
            let digit = Int(character.asciiValue! - 48)
            if position % 2 == 0 {
                let doubled = digit * 2
                sum += doubled > 9 ? doubled - 9 : doubled
            } else {
                sum += digit
            }
        }
        return Character(String((10 - sum % 10) % 10))
    }

    static func isValidUnified(_ digits: String) -> Bool {
        digits.count == 16 && checkDigit(forFirst15: digits.prefix(15)) == digits.last
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
