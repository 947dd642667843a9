/// A Russian mobile number for reminders, normalised to `+7 9XX XXX-XX-XX`. Input is forgiving:
/// `8 (912) 345-67-89`, `+79123456789` and `912 345 67 89` are the same number.
public struct MobilePhone: Equatable, Sendable {
    /// The ten digits after the country code, starting with 9.
    public let digits: String

    public init?(parsing text: String) {
        let allowed = Set(" -()+\t.")
        guard text.allSatisfy({ $0.isASCII && ($0.isNumber || allowed.contains($0)) }) else { return nil }
        var digits = text.filter(\.isNumber)
        if digits.count == 11, digits.first == "7" || digits.first == "8" { digits.removeFirst() }
        guard digits.count == 10, digits.first == "9" else { return nil }
        self.digits = digits
    }

    /// `+7 912 345-67-89`.
    public var formatted: String {
        let d = Array(digits)
        return "+7 \(String(d[0..<3])) \(String(d[3..<6]))-\(String(d[6..<8]))-\(String(d[8..<10]))"
    }
}
