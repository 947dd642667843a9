import Foundation
import HTTPTypes
import Hummingbird
import Web
import Persistence
import Templating

/// The identified session of the request being handled, for the page header: who is signed in, the
/// token of the header's sign-out form, and how long the session lasts without activity (for the
/// warning before it ends).
struct SessionClock: Sendable {
    let patientName: String
    let csrfToken: String
    /// Until the session ends without further activity, in whole seconds and minutes: counted from
    /// the activity the server has written down, which may trail this request by a few seconds.
    let idleSeconds: Int
    let idleMinutes: Int
    /// The warning comes this long before the end: two minutes, or half the time for short sessions.
    let warningSeconds: Int

    init?(session: SessionRecord, idleTimeout: TimeInterval, now: Date) {
        guard let patient = session.patient else { return nil }
        patientName = patient.displayName
        csrfToken = session.csrfToken
        let secondsLeft = max(0, session.lastSeen.addingTimeInterval(idleTimeout).timeIntervalSince(now))
        idleSeconds = Int(secondsLeft.rounded(.up))
        idleMinutes = Int((secondsLeft / 60).rounded(.up))
        warningSeconds = Int(min(120, idleTimeout / 2))
    }
}

extension SessionClock: TemplateObject {
    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "name": .string(patientName)
        case "csrf": .string(csrfToken)
        case "idleSeconds": .int(idleSeconds)
        case "idleMinutes": .int(idleMinutes)
        case "warningSeconds": .int(warningSeconds)
        default: nil
        }
    }
}
