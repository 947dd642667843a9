/// A referral's number as people write it — «101-000002», «101 000002», «101–000002» or, on a
/// keypad of digits, «101000002»: the same referral, matched with its separators left out.
public enum ReferralNumber {
    /// The form every spelling of one number shares: letters upper-cased; white space, «№» and
    /// every hyphen, dash and minus sign left out.
    public static func matchingKey(_ typed: String) -> String {
        String(typed.uppercased().filter { !$0.isWhitespace && $0 != "№" && !Separators.isDash($0) })
    }
}

/// Characters people put between the parts of a number they copy from a form.
public enum Separators {
    /// A hyphen, a dash or a minus sign of any kind (what a word processor or a phone puts for "-").
    public static func isDash(_ character: Character) -> Bool {
        guard let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1 else { return false }
        switch scalar.value {
        case 0x2D, 0x2010...0x2015, 0x2212, 0xFE58, 0xFE63, 0xFF0D: return true
        default: return false
        }
    }
}
