import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Where the registry's text messages go: an HTTP gateway of an SMS provider.
public struct SMSSettings: Sendable, Equatable {
    /// The gateway's address; each message is one POST of a form (`to`, `text`, `sender`) to it.
    public var url: String
    public var username: String?
    public var password: String?
    /// The sender name the provider registered for the region («Registratura»).
    public var sender: String
    public var timeout: TimeInterval

    public init(url: String, username: String? = nil, password: String? = nil, sender: String, timeout: TimeInterval = 15) {
        self.url = url
        self.username = username
        self.password = password
        self.sender = sender
        self.timeout = timeout
    }
}

/// A text message cut to what fits, and how many SMS segments it takes: GSM-7 text fits 160
/// characters in one (153 each when split), anything with Cyrillic is UCS-2 — 70, or 67 each.
public struct SMSText: Sendable, Equatable {
    public let text: String
    public let segments: Int

    /// `text`, shortened (on a word, with «…») to at most `maximumSegments` segments.
    public init(_ text: String, maximumSegments: Int = 2) {
        var text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let limit = Self.capacity(of: text, segments: maximumSegments)
        if Self.length(of: text) > limit {
            var cut = String(text.prefix(limit - 1))
            if let space = cut.lastIndex(of: " "), cut.distance(from: cut.startIndex, to: space) > limit / 2 { cut = String(cut[..<space]) }
            text = cut + "…"
        }
        self.text = text
        segments = Self.segments(of: text)
    }

    static func isGSM(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { $0.isASCII && ($0.value >= 0x20 || $0 == "\n" || $0 == "\r") && !"[]{}\\^~|`".unicodeScalars.contains($0) }
    }

    /// Characters as the network counts them (UCS-2 counts UTF-16 units).
    static func length(of text: String) -> Int {
        isGSM(text) ? text.unicodeScalars.count : text.utf16.count
    }

    static func segments(of text: String) -> Int {
        let length = length(of: text)
        let (single, part) = isGSM(text) ? (160, 153) : (70, 67)
        return length <= single ? 1 : (length + part - 1) / part
    }

    static func capacity(of text: String, segments: Int) -> Int {
        let (single, part) = isGSM(text) ? (160, 153) : (70, 67)
        return segments <= 1 ? single : part * segments
    }
}

/// Sends text messages through the configured HTTP gateway.
public struct SMSGateway: Sendable {
    public let settings: SMSSettings
    let client: HTTPClient

    public init(settings: SMSSettings, client: HTTPClient = .shared) {
        self.settings = settings
        self.client = client
    }

    /// Sends `text` to `phone`; a 4xx answer (a number the provider refuses) is permanent, anything else may pass later.
    public func send(_ text: SMSText, to phone: String) async throws(SendFailure) {
        var request = HTTPClientRequest(url: settings.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        if let username = settings.username {
            let credentials = Data("\(username):\(settings.password ?? "")".utf8).base64EncodedString()
            request.headers.add(name: "Authorization", value: "Basic \(credentials)")
        }
        let form = [("to", phone), ("text", text.text), ("sender", settings.sender), ("segments", String(text.segments))]
            .map { "\($0.0)=\(Self.formEncoded($0.1))" }.joined(separator: "&")
        request.body = .bytes(ByteBuffer(string: form))
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: .milliseconds(Int64(settings.timeout * 1_000)))
            _ = try await response.body.collect(upTo: 64 * 1_024)
        } catch {
            throw SendFailure(permanent: false, reason: "SMS gateway not reached: \(type(of: error))")
        }
        guard (200..<300).contains(Int(response.status.code)) else {
            let code = Int(response.status.code)
            throw SendFailure(permanent: (400..<500).contains(code) && code != 408 && code != 429, reason: "SMS gateway answered \(code)")
        }
    }

    private static func formEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._*"))) ?? ""
    }
}
