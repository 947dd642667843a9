/// The three Russian noun forms a count needs: 1 талон, 2 талона, 5 талонов.
public struct RussianPluralForms: Sendable, Equatable {
    public let one: String
    public let few: String
    public let many: String

    public init(one: String, few: String, many: String) {
        self.one = one
        self.few = few
        self.many = many
    }

    /// The form that agrees with a whole number: 1, 21, 101 → one; 2–4, 22–24 → few; 0, 5–20, 11–14 → many.
    public func form(for count: Int) -> String {
        let magnitude = count.magnitude
        let lastTwo = magnitude % 100
        let last = magnitude % 10
        if last == 1 && lastTwo != 11 { return one }
        if (2...4).contains(last) && !(12...14).contains(lastTwo) { return few }
        return many
    }

    /// The form for a fractional number, which Russian puts in the genitive singular: 2,5 талона.
    public func form(for value: Double) -> String {
        value == value.rounded() && value.magnitude < 1e15 ? form(for: Int(value)) : few
    }
}
