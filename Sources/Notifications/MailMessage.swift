import Foundation

/// An e-mail as the registry sends it: a plain-text and an HTML part of the same message, and
/// optionally a calendar file, encoded as one RFC 5322 / MIME message (UTF-8 throughout, the
/// subject and names encoded by RFC 2047, bodies in base64 so that no line is too long).
public struct MailMessage: Sendable {
    public var from: String
    public var fromName: String
    public var to: String
    public var subject: String
    public var text: String
    public var html: String
    /// A calendar file attached as `<name>`.
    public var calendar: (name: String, content: String)?
    /// The message's id (the outbox's idempotency key): a resent message is recognisably the same.
    public var messageID: String

    public init(from: String, fromName: String, to: String, subject: String, text: String, html: String, calendar: (name: String, content: String)? = nil, messageID: String) {
        self.from = from
        self.fromName = fromName
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.calendar = calendar
        self.messageID = messageID
    }

    /// The whole message, CRLF line ends, ready for SMTP's DATA.
    public func encoded(date: Date, boundarySeed: String) -> String {
        let outer = "=_mixed_" + boundarySeed
        let inner = "=_alternative_" + boundarySeed
        var lines = [
            "From: \(Self.encodedWord(fromName)) <\(from)>",
            "To: <\(to)>",
            "Subject: \(Self.encodedWord(subject))",
            "Date: \(Self.rfc5322Date(date))",
            "Message-ID: <\(Self.messageIDPart(messageID))@registratura>",
            "MIME-Version: 1.0",
            "Content-Type: multipart/mixed; boundary=\"\(outer)\"",
            "",
            "--\(outer)",
            "Content-Type: multipart/alternative; boundary=\"\(inner)\"",
            "",
            "--\(inner)",
        ]
        lines += Self.part(type: "text/plain; charset=utf-8", body: text)
        lines.append("--\(inner)")
        lines += Self.part(type: "text/html; charset=utf-8", body: html)
        lines.append("--\(inner)--")
        if let calendar {
            lines.append("--\(outer)")
            lines += Self.part(type: "text/calendar; charset=utf-8; method=PUBLISH;\r\n name=\"\(calendar.name)\"", body: calendar.content,
                               extra: ["Content-Disposition: attachment; filename=\"\(calendar.name)\""])
        }
        lines.append("--\(outer)--")
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    private static func part(type: String, body: String, extra: [String] = []) -> [String] {
        ["Content-Type: \(type)", "Content-Transfer-Encoding: base64"] + extra + [""] + base64Lines(Data(body.utf8))
    }

    /// Base64 in lines of 76 characters.
    static func base64Lines(_ data: Data) -> [String] {
        let encoded = data.base64EncodedString()
        return stride(from: 0, to: encoded.count, by: 76).map { start in
            let from = encoded.index(encoded.startIndex, offsetBy: start)
            return String(encoded[from..<(encoded.index(from, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex)])
        }
    }

    /// `text` as RFC 2047 encoded words (UTF-8, base64), each at most 64 characters, split between characters.
    public static func encodedWord(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { !$0.isASCII || $0.value < 0x20 }) || text.contains("=?") else { return text }
        var words: [String] = []
        var chunk = ""
        for character in text {
            let candidate = chunk + String(character)
            // 39 bytes of UTF-8 make 52 characters of base64: with "=?UTF-8?B?", "?=" and a header's name, within 78.
            if candidate.utf8.count > 39 {
                words.append(chunk)
                chunk = String(character)
            } else {
                chunk = candidate
            }
        }
        if !chunk.isEmpty { words.append(chunk) }
        return words.map { "=?UTF-8?B?" + Data($0.utf8).base64EncodedString() + "?=" }.joined(separator: "\r\n ")
    }

    private static func messageIDPart(_ id: String) -> String {
        String(id.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) && $0.isASCII || "-._".unicodeScalars.contains($0) ? Character($0) : "." })
    }

    private static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
