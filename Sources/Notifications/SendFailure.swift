/// Why a message did not go out: `permanent` failures (the server refused the recipient, the gateway
/// the number) are not tried again; the others are, later.
public struct SendFailure: Error, Sendable, Equatable {
    public let permanent: Bool
    /// A status line of the server or gateway, or what went wrong on the way: no message content.
    public let reason: String

    public init(permanent: Bool, reason: String) {
        self.permanent = permanent
        self.reason = reason
    }
}
