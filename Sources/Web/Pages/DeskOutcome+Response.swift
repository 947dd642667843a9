import Booking
import Foundation
import Hummingbird
import MISBridge
import RegistryCore

extension BookingDesk.Outcome {
    /// What every channel answers when the desk gives this instead of a booking or a move: a time
    /// or booking that is not there is 404, a clinic that does not answer 503 (the error pages say
    /// what to do), and a refusal the channel's own page with `refused` (409 by convention).
    public func response(refused: (_ refusal: Refusal, _ alternatives: [MISSlot], _ zone: TimeZone?) throws -> Response) throws -> Response {
        switch self {
        case .notFound, .notCancellable: throw HTTPError(.notFound)
        case .unavailable: throw HTTPError(.serviceUnavailable)
        case .refused(let refusal, let alternatives, let zone): return try refused(refusal, alternatives, zone)
        }
    }
}
