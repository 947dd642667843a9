import Foundation
import Testing
@testable import MISBridge

/// Every field of a MIS answer is held to the protocol's limits before the registry uses it.
@Suite("Answer limits")
struct AnswerLimitsTests {
    private func appointment(_ attributes: [String: String]) -> String {
        var all = ["id": "a1", "ticket": "101-000042", "clinic": "101", "slot": "9", "doctor": "7", "doctorName": "Иванова М. П.", "specialty": "113",
                   "specialtyName": "Хирург", "start": "2026-11-23T10:00:00+05:00", "end": "2026-11-23T10:20:00+05:00", "room": "214", "status": "active", "channel": "internet"]
        for (name, value) in attributes { all[name] = value }
        let written = all.sorted { $0.key < $1.key }.map { " \($0.key)=\"\(Self.escape($0.value))\"" }.joined()
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><response operation=\"SetAppointment\" version=\"1\"><appointment\(written)/></response>"
    }

    /// Attribute escaping as a hostile MIS may use it: line breaks and tabs as character references, so that they survive.
    private static func escape(_ value: String) -> String {
        value.unicodeScalars.map { scalar -> String in
            switch scalar {
            case "&": "&amp;"
            case "<": "&lt;"
            case "\"": "&quot;"
            case "\r", "\n", "\t": "&#\(scalar.value);"
            default: String(scalar)
            }
        }.joined()
    }

    private func decode(_ text: String) throws(MISFailure) -> MISAppointment {
        try MISAnswer.appointment(try MISResponse.payload(of: Array(text.utf8), for: .setAppointment))
    }

    @Test func aWellFormedAppointmentIsRead() throws {
        let read = try decode(appointment([:]))
        #expect(read.id == "a1" && read.ticket == "101-000042" && read.room == "214")
    }

    @Test func aTicketNoPatientCouldReadOutIsLeftOutNotTrusted() throws {
        for hostile in ["X\r\nSet-Cookie: a=b", "12\t3", "12\u{85}3", String(repeating: "9", count: 33), "<script>", "1;2", ""] {
            let read = try decode(appointment(["ticket": hostile]))
            #expect(read.ticket == nil, "\(hostile.debugDescription)")
            #expect(read.id == "a1")
        }
        #expect(try decode(appointment(["ticket": "Т-12/3 А.1"])).ticket == "Т-12/3 А.1")
    }

    @Test func identifiersAndTextsOutsideTheLimitsMakeABadAnswer() {
        let hostile: [[String: String]] = [
            ["id": "a\r\n1"], ["id": String(repeating: "a", count: 65)], ["id": "a 1"], ["id": ""],
            ["slot": "9\t"], ["clinic": "101\u{2028}"], ["doctor": "7\u{7F}"],
            ["status": "active\r\n"], ["start": "2026-11-23T10:00:00+05:00\n"],
        ]
        for attributes in hostile {
            #expect(throws: MISFailure.self, "\(attributes)") { try decode(appointment(attributes)) }
            do {
                _ = try decode(appointment(attributes))
            } catch {
                #expect(error.kind == .badAnswer)
                // The detail names the attribute, never the value.
                #expect(!(error.detail ?? "").contains("Иванова") && !(error.detail ?? "").contains("\r"))
            }
        }
    }

    @Test func aDescribingTextOutsideTheLimitsIsLeftOutAndTheAppointmentStillRead() throws {
        // The MIS has made the appointment: refusing the answer for a name would strand the booking.
        let hostile: [(String, String)] = [
            ("doctorName", "Иванова\r\nX"), ("doctorName", String(repeating: "я", count: 513)), ("specialtyName", "Хирург\u{2028}"),
            ("room", "2\n14"), ("cancelReason", "a\u{85}b"), ("actor", "patient\r\nX-Injected: 1"), ("cancelledActor", "a\u{7F}"),
        ]
        for (name, value) in hostile {
            let read = try decode(appointment([name: value]))
            #expect(read.id == "a1" && read.ticket == "101-000042" && read.slotID == "9" && read.status == .active, "\(name)")
            let kept: String? = switch name {
            case "doctorName": read.doctorName
            case "specialtyName": read.specialtyName
            case "room": read.room
            case "cancelReason": read.cancelReason
            case "actor": read.actor
            default: read.cancelledActor
            }
            #expect(kept == nil || kept == "", "\(name)")
        }
    }

    @Test func countsAndAgesAreBounded() {
        for (count, valid) in [("0", true), ("41", true), ("-1", false), ("99999999999", false), ("1e3", false)] {
            var writer = XMLWriter()
            writer.start("response", ["operation": "GetAvailableDates", "version": "1"])
            writer.start("dates")
            writer.empty("date", ["day": "2026-11-23", "freeCount": count])
            let text = writer.finish()
            let read = Result { () throws(MISFailure) in try MISAnswer.dates(try MISResponse.payload(of: Array(text.utf8), for: .getAvailableDates)) }
            #expect(((try? read.get()) != nil) == valid, "\(count)")
        }
    }

    @Test func anErrorTextIsKeptShortAndOnOneLine() {
        let text = MISResponse.failure("SetAppointment", .slotTaken, "Занято\r\nSet-Cookie: a=b" + String(repeating: "я", count: 2_000))
        do {
            _ = try MISResponse.payload(of: Array(text.utf8), for: .setAppointment)
        } catch {
            #expect(error.code == .slotTaken)
            #expect(!(error.detail ?? "").contains("\r") && !(error.detail ?? "").contains("\n"))
            #expect((error.detail ?? "").count <= 512)
        }
    }

    @Test func textIsCheckedByteByByteExactlyAsItsScalarsDefineIt() {
        // Every scalar of the first planes that matter (ASCII, Latin-1, Cyrillic, punctuation), and some beyond.
        let scalars = (0x0...0x2100).compactMap(Unicode.Scalar.init) + ["\u{FEFF}", "\u{1F600}", "\u{10FFFF}"]
        for scalar in scalars {
            let text = "а" + String(Character(scalar)) + "b"
            #expect(AnswerLimits.isText(text, maximumLength: 3) == !AnswerLimits.isControl(scalar), "U+\(String(scalar.value, radix: 16))")
        }
        // At every position of a longer value (checked eight bytes at a time, then one by one).
        for scalar in ["\u{0}", "\u{1F}", "\u{7F}", "\u{85}", "\u{9F}", "\u{2028}", "\u{2029}"] as [Unicode.Scalar] {
            for position in 0...20 {
                let text = String(repeating: "x", count: position) + String(Character(scalar)) + String(repeating: "y", count: 20 - position)
                #expect(!AnswerLimits.isText(text, maximumLength: 100), "U+\(String(scalar.value, radix: 16)) at \(position)")
            }
        }
        #expect(AnswerLimits.isText("«Поликлиника № 1» — ул. Ленина, 12 — 2026", maximumLength: 100))
        // Length counts characters (scalars), not bytes: 512 Cyrillic letters pass, 513 do not.
        #expect(AnswerLimits.isText(String(repeating: "ж", count: 512), maximumLength: 512))
        #expect(!AnswerLimits.isText(String(repeating: "ж", count: 513), maximumLength: 512))
        #expect(AnswerLimits.isText(String(repeating: "😀", count: 64), maximumLength: 64) && !AnswerLimits.isText(String(repeating: "😀", count: 65), maximumLength: 64))
        #expect(AnswerLimits.isIdentifier("3001") && !AnswerLimits.isIdentifier("30 01") && !AnswerLimits.isIdentifier("30\u{A0}01") && AnswerLimits.isIdentifier("кабинет-5"))
    }
}
