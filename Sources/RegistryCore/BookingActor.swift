import MISBridge

/// Who acts at the booking desk: the patient themselves (on the site), a lobby kiosk, or a
/// call-centre operator for a caller. It decides the channel the MIS records and is kept in the
/// ledger with each booking.
public enum BookingActor: Sendable, Equatable {
    case patient
    case kiosk(id: String)
    case `operator`(account: String)
    /// The federal portal (ЕПГУ), through the registry's door: its reservations for the person it knows.
    case federalPortal

    /// The channel the MIS records for what this actor does.
    public var channel: MISChannel {
        switch self {
        case .patient: .internet
        case .kiosk: .kiosk
        case .operator: .callCentre
        case .federalPortal: .federalPortal
        }
    }

    /// How the ledger keeps the actor: `patient`, `kiosk:<id>` or `operator:<account>`.
    public var ledgerValue: String {
        switch self {
        case .patient: "patient"
        case .kiosk(let id): "kiosk:" + id
        case .operator(let account): "operator:" + account
        case .federalPortal: "federal-portal"
        }
    }

    /// The actor the ledger kept; nil for a value it does not know.
    public init?(ledgerValue: String) {
        if ledgerValue == "patient" {
            self = .patient
        } else if ledgerValue == "federal-portal" {
            self = .federalPortal
        } else if ledgerValue.hasPrefix("kiosk:"), ledgerValue.count > 6 {
            self = .kiosk(id: String(ledgerValue.dropFirst(6)))
        } else if ledgerValue.hasPrefix("operator:"), ledgerValue.count > 9 {
            self = .operator(account: String(ledgerValue.dropFirst(9)))
        } else {
            return nil
        }
    }
}
