import Foundation

/// Why a staff member cancels or moves a patient's booking, in the patient's words, as the audit
/// trail keeps it: required (three characters at least), at most 200 kept.
public struct StaffReason: Sendable, Equatable, CustomStringConvertible {
    public let text: String

    /// Nil when nothing usable was written.
    public init?(_ typed: String?) {
        let text = Self.cleaned(typed)
        guard text.count >= 3 else { return nil }
        self.text = text
    }

    /// What was typed as the form shows it again: spaces around it dropped, at most 200 characters.
    public static func cleaned(_ typed: String?) -> String {
        String((typed ?? "").trimmingCharacters(in: .whitespacesAndNewlines).prefix(200))
    }

    public var description: String { text }
}
