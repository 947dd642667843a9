import Booking
import Foundation
import Web
import MISBridge
import Persistence
import Templating
import RegistryCore

/// The patient's messages (sent and waiting), newest first.
struct MessagesPage: TemplateObject {
    let messages: [MessageRow]

    /// `bookings`: the patient's ledger by request id — what each message is about.
    init(messages: [OutboxMessage], bookings: [String: LedgerEntry]) {
        self.messages = messages.map { MessageRow(message: $0, booking: $0.requestID.flatMap { bookings[$0] }) }
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "messages": .list(messages.map { .object($0) })
        default: nil
        }
    }
}
