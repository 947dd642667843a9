/// A personal insurance account number (СНИЛС): 9 digits and a 2-digit checksum, written
/// `123-456-789 01`.
public struct SNILS: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The 11 digits without separators.
    public let digits: String

    /// Why typed text is not a SNILS.
    public enum Problem: Error, Equatable, Sendable {
        case wrongLength
        case checksumMismatch
    }

    /// Reads a SNILS forgivingly: spaces and dashes are ignored.
    public init(parsing text: String) throws(Problem) {
        let cleaned = text.filter { !$0.isWhitespace && $0 != "-" }
        guard cleaned.count == 11, cleaned.allSatisfy(\.isASCIIDigit) else { throw .wrongLength }
        let body = cleaned.prefix(9)
        // Numbers up to 001-001-998 were issued before checksums existed.
        if Int(body)! > 1_001_998 {
            guard Self.checksum(forFirst9: body) == Int(cleaned.suffix(2))! else { throw .checksumMismatch }
        }
        digits = cleaned
    }

    /// The checksum of nine digits: weights 9 down to 1, then modulo 101, with 100 written as 00.
    public static func checksum(forFirst9 digits: some Collection<Character>) -> Int {
        var sum = 0
        for (index, character) in digits.enumerated() {
            sum += Int(character.asciiValue! - 48) * (9 - index)
        }
        let remainder = sum % 101
        return remainder == 100 ? 0 : remainder
    }

    /// `123-456-789 01`.
    public var description: String {
        let characters = Array(digits)
        return "\(String(characters[0..<3]))-\(String(characters[3..<6]))-\(String(characters[6..<9])) \(String(characters[9..<11]))"
    }
}
