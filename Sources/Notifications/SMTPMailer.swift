import Booking
import CCurl
import Foundation

/// Where and how the registry's mail goes out.
public struct SMTPSettings: Sendable, Equatable {
    /// `smtp://host:587` (STARTTLS when `requireTLS`) or `smtps://host:465` (TLS from the start).
    public var url: String
    public var username: String?
    public var password: String?
    /// The sender's address and name («Регистратура»).
    public var from: String
    public var fromName: String
    /// Refuse to send unless the connection is encrypted (STARTTLS on `smtp://`).
    public var requireTLS: Bool
    /// A CA bundle to trust instead of the system's (a region's own mail server).
    public var caFile: String?
    /// A try gives up after this long (connecting within a third of it).
    public var timeout: TimeInterval
    /// The relay speaks SMTPUTF8 (`REGISTRATURA_SMTP_UTF8=1`): addresses with Cyrillic before the `@` are accepted and sent.
    public var smtpUTF8: Bool

    public init(url: String, username: String? = nil, password: String? = nil, from: String, fromName: String = "Регистратура",
                requireTLS: Bool = false, caFile: String? = nil, timeout: TimeInterval = 30, smtpUTF8: Bool = false) {
        self.url = url
        self.username = username
        self.password = password
        self.from = from
        self.fromName = fromName
        self.requireTLS = requireTLS
        self.caFile = caFile
        self.timeout = timeout
        self.smtpUTF8 = smtpUTF8
    }
}

/// Sends mail over SMTP through libcurl (Debian's libcurl4-openssl-dev): STARTTLS or TLS,
/// authentication, the message uploaded as built by `MailMessage`. Each send runs off the
/// cooperative threads (libcurl's easy interface blocks) and ends within the settings' timeout.
public struct SMTPMailer: Sendable {
    public let settings: SMTPSettings

    public init(settings: SMTPSettings) {
        self.settings = settings
        _ = Self.initialised
    }

    private static let initialised: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK

    private static let queue = DispatchQueue(label: "registratura.smtp", attributes: .concurrent)

    /// Sends `message`; a failure says whether trying again can help.
    public func send(_ message: MailMessage, now: Date) async throws(SendFailure) {
        // The recipient as the mail server reads it (a Cyrillic domain in Punycode); an address outside
        // what contacts accept never reaches RCPT TO, whatever the store holds.
        guard let recipient = try? EmailAddress(parsing: message.to, unicodeLocalPart: settings.smtpUTF8) else {
            throw SendFailure(permanent: true, reason: "recipient address refused")
        }
        var addressed = message
        addressed.to = recipient.wireForm
        let message = addressed
        let payload = Array(message.encoded(date: now, boundarySeed: String(UInt64.random(in: 0...UInt64.max), radix: 36)).utf8)
        let settings = self.settings
        let result: Result<Void, SendFailure> = await withCheckedContinuation { continuation in
            Self.queue.async { continuation.resume(returning: Self.perform(payload, from: message.from, to: message.to, settings: settings)) }
        }
        try result.get()
    }

    private static func perform(_ payload: [UInt8], from: String, to: String, settings: SMTPSettings) -> Result<Void, SendFailure> {
        guard let curl = curl_easy_init() else { return .failure(SendFailure(permanent: false, reason: "libcurl could not start")) }
        defer { curl_easy_cleanup(curl) }
        let source = UploadSource(payload)
        let unmanaged = Unmanaged.passRetained(source)
        defer { unmanaged.release() }
        let recipients = curl_slist_append(nil, "<\(to)>")
        defer { curl_slist_free_all(recipients) }

        _ = registratura_curl_set_string(curl, CURLOPT_URL, settings.url)
        _ = registratura_curl_set_string(curl, CURLOPT_MAIL_FROM, "<\(from)>")
        _ = registratura_curl_set_list(curl, CURLOPT_MAIL_RCPT, recipients)
        _ = registratura_curl_set_long(curl, CURLOPT_UPLOAD, 1)
        _ = registratura_curl_set_read(curl) { buffer, size, count, user in
            guard let buffer, let user else { return 0 }
            return Unmanaged<UploadSource>.fromOpaque(user).takeUnretainedValue().read(into: buffer, max: size * count)
        }
        _ = registratura_curl_set_pointer(curl, CURLOPT_READDATA, unmanaged.toOpaque())
        _ = registratura_curl_set_long(curl, CURLOPT_NOSIGNAL, 1)
        _ = registratura_curl_set_long(curl, CURLOPT_CONNECTTIMEOUT_MS, Int(settings.timeout * 1_000 / 3))
        _ = registratura_curl_set_long(curl, CURLOPT_TIMEOUT_MS, Int(settings.timeout * 1_000))
        if settings.requireTLS { _ = registratura_curl_set_long(curl, CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue)) }
        if let caFile = settings.caFile { _ = registratura_curl_set_string(curl, CURLOPT_CAINFO, caFile) }
        if let username = settings.username { _ = registratura_curl_set_string(curl, CURLOPT_USERNAME, username) }
        if let password = settings.password { _ = registratura_curl_set_string(curl, CURLOPT_PASSWORD, password) }

        let code = curl_easy_perform(curl)
        var response = 0
        _ = registratura_curl_response_code(curl, &response)
        guard code != CURLE_OK else { return .success(()) }
        let reason = "\(String(cString: curl_easy_strerror(code)))" + (response > 0 ? " (SMTP \(response))" : "")
        // The server refused this message or recipient for good (5xx); anything else may pass later.
        let permanent = (500..<600).contains(response) && code != CURLE_LOGIN_DENIED && response != 530 && response != 535
        return .failure(SendFailure(permanent: permanent, reason: reason))
    }
}

/// The message's bytes as libcurl asks for them, a buffer at a time.
private final class UploadSource {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    func read(into buffer: UnsafeMutablePointer<CChar>, max: Int) -> Int {
        let count = min(max, bytes.count - offset)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBufferPointer { source in
            UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress! + offset, byteCount: count)
        }
        offset += count
        return count
    }
}
