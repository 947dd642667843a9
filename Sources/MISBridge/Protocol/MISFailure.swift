/// Why a call to a MIS did not give an answer the registry can use.
///
/// Crosses the module boundary as a struct around a code, so that kinds can be added; `description`
/// is short and metric-safe (no personal data).
public struct MISFailure: Error, Equatable, CustomStringConvertible, Sendable {
    /// What went wrong, from the registry's point of view.
    public enum Kind: Equatable, Sendable {
        /// The MIS answered with a protocol error.
        case protocolError(MISErrorCode)
        /// No answer within the time allowed.
        case timeout
        /// The gateway could not be reached (refused, reset, DNS).
        case unreachable
        /// Too many recent failures: the endpoint is left alone for a while.
        case circuitOpen
        /// An answer came but is not a valid protocol answer (HTML, broken XML, missing fields, wrong status).
        case badAnswer
        /// No endpoint is configured for the clinic.
        case unknownClinic
    }

    public let kind: Kind
    /// The MIS's own message for protocol errors (Russian, for staff), or a technical detail.
    public let detail: String?
    /// False when the request certainly never reached the gateway (no connection could be made, or
    /// the circuit was open): a write that failed so has changed nothing there.
    public let requestSent: Bool

    public init(_ kind: Kind, detail: String? = nil, requestSent: Bool = true) {
        self.kind = kind
        self.detail = detail
        self.requestSent = requestSent && kind != .circuitOpen && kind != .unknownClinic
    }

    public init(_ code: MISErrorCode, message: String) {
        self.kind = .protocolError(code)
        self.detail = message
        self.requestSent = true
    }

    /// The protocol error code, when the MIS answered with one.
    public var code: MISErrorCode? {
        if case .protocolError(let code) = kind { return code }
        return nil
    }

    /// Whether the MIS is at fault or absent (as opposed to refusing this particular request).
    public var isOutage: Bool {
        switch kind {
        case .timeout, .unreachable, .circuitOpen, .badAnswer: true
        case .protocolError(let code): code == .internal
        case .unknownClinic: false
        }
    }

    /// A short label for metrics and logs.
    public var label: String {
        switch kind {
        case .protocolError(let code): "error_\(code.rawValue)"
        case .timeout: "timeout"
        case .unreachable: "unreachable"
        case .circuitOpen: "circuit_open"
        case .badAnswer: "bad_answer"
        case .unknownClinic: "unknown_clinic"
        }
    }

    public var description: String {
        detail.map { "\(label): \($0)" } ?? label
    }
}
