import MISBridge

/// What the statistics count, as the store names it (`StatisticCount.metric`), and the keys some of them use.
public enum StatisticMetric: String, Sendable, CaseIterable {
    /// Bookings by the channel they came through (key: the protocol's channel).
    case channel
    /// Bookings by specialty (key: the specialty's id).
    case specialty
    /// Bookings by doctor (key: the doctor's id).
    case doctor
    /// Bookings by hour, of the visit or of the booking as the basis says (key: `08`).
    case hour
    /// Bookings by how they stand (key: `active`, `visited`, `missed`, `cancelled`).
    case outcome
    /// Cancellations by who cancelled (key: `CancelledBy`).
    case cancelledBy = "cancelled-by"
    /// Cancellations by how long before the visit (key: `CancelLead`).
    case cancelLead = "cancel-lead"
    /// A doctor's published times of a day (free or held, not closed) and those held (key: the doctor's id).
    case slots
    case held
    /// Refusals the registry showed (key: `code|channel|specialty`).
    case refusal
    /// Waiting-list offers made and taken (key: `offered`, `taken`), on the day they were.
    case waitlist
    /// Messages to patients sent and given up (key: `<channel>-sent`, `<channel>-failed`), for the whole region (clinic "").
    case notification
    /// Bookings that waited for the clinic: a displacement when it reaches the registry (key
    /// `displaced`), and each decision by what was decided and how long the booking had waited
    /// (key `confirmed|0-1h`, …: `DecisionKind|Waited`), on the day it was.
    case decision
    /// Minutes to a specialty's first free time, read once a morning (key: `specialty|federal code`; -1: none published).
    case firstFree = "first-free"

    /// Who cancelled, as the statistics group them.
    public enum CancelledBy: String, Sendable, CaseIterable {
        case patient, `operator`, clinic

        public init(_ channel: MISChannel?) {
            switch channel {
            case .internet, .kiosk, .federalPortal: self = .patient
            case .callCentre: self = .operator
            default: self = .clinic
            }
        }
    }

    /// How long before the visit a cancellation came.
    public enum CancelLead: String, Sendable, CaseIterable {
        case underTwoHours = "0-2h", underADay = "2-24h", underThreeDays = "1-3d", more = "3d+"

        public init(seconds: Double) {
            switch seconds {
            case ..<7_200: self = .underTwoHours
            case ..<86_400: self = .underADay
            case ..<(3 * 86_400): self = .underThreeDays
            default: self = .more
            }
        }
    }

    /// What a registrar decided about a booking that waited for the clinic.
    public enum DecisionKind: String, Sendable, CaseIterable {
        case confirmed, refused, moved, cancelled
    }

    /// How long a booking waited for the clinic's decision: a reservation since it was made, a
    /// displaced booking since the clinic closed its time.
    public enum Waited: String, Sendable, CaseIterable {
        case underAnHour = "0-1h", underFourHours = "1-4h", underADay = "4-24h", more = "1d+"

        public init(seconds: Double) {
            switch seconds {
            case ..<3_600: self = .underAnHour
            case ..<(4 * 3_600): self = .underFourHours
            case ..<86_400: self = .underADay
            default: self = .more
            }
        }
    }

    /// The channels whose bookings count as made remotely (not at the clinic's own desk or by its doctor).
    public static let remoteChannels: Set<MISChannel> = [.internet, .kiosk, .callCentre, .federalPortal]
}
