/// Numbers written the Russian way: thousands grouped by a no-break space, decimal comma.
public enum RussianNumberFormat {
    static let groupSeparator = "\u{00A0}"

    /// `20000` → «20 000», `-1234567` → «−1 234 567» (with a plain hyphen-minus).
    public static func string(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var result = value < 0 ? "-" : ""
        for (position, digit) in digits.enumerated() {
            if position > 0 && (digits.count - position) % 3 == 0 { result += groupSeparator }
            result.append(digit)
        }
        return result
    }

    /// `1234.5` with 2 decimals → «1 234,50».
    public static func string(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "—" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (value.magnitude * scale).rounded()
        guard scaled < 9e18 else { return String(value) }
        let whole = Int(scaled) / Int(scale)
        let fraction = Int(scaled) % Int(scale)
        var result = (value < 0 && scaled > 0 ? "-" : "") + string(whole)
        if decimals > 0 {
            let fractionDigits = String(fraction)
            result += "," + String(repeating: "0", count: decimals - fractionDigits.count) + fractionDigits
        }
        return result
    }
}
