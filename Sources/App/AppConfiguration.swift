import Booking
import Foundation
import RegistryCore
import Web
import MISBridge
import Persistence
import ServerLimits

/// Everything the registry needs to start: where to listen, where its files are, which mode.
///
/// Each setting comes from, in order: a command-line option, an environment variable
/// (`REGISTRATURA_*`), or the embedded default that lets the system run out of the box.
public struct AppConfiguration: Sendable, Equatable {
    public var host: String
    public var port: Int
    /// The registry's own state (SQLite database, later) lives here.
    public var dataDirectory: String
    public var templatesDirectory: String
    public var publicDirectory: String
    /// Templates reload on change, unknown template variables are errors, errors are shown in detail.
    public var development: Bool
    /// Unknown template variables are errors even outside development (tests set this).
    public var strictTemplates: Bool
    public var logLevel: String
    /// Cookies carry the Secure attribute (set when the registry is served over TLS, e.g. behind a proxy).
    public var secureCookies = false
    /// An identified session ends after this long without a request; a warning comes before.
    public var sessionIdleTimeout: TimeInterval = 15 * 60
    /// A staff member's session ends after this long without a request (`REGISTRATURA_STAFF_SESSION_IDLE_SECONDS`).
    public var staffSessionIdleTimeout: TimeInterval = 30 * 60
    /// A kiosk returns to its start screen after this long without a touch (`REGISTRATURA_KIOSK_IDLE_SECONDS`),
    /// counting down the last seconds aloud; the patient's session there ends on the server soon after.
    public var kioskIdleTimeout: TimeInterval = 60
    /// How long the server keeps a kiosk patient's session without a request: the kiosk's countdown
    /// plus a little, so that a page still open at the kiosk can end it itself.
    public var kioskSessionIdleTimeout: TimeInterval { kioskIdleTimeout + 15 }
    /// bcrypt's cost for staff passwords (`REGISTRATURA_PASSWORD_COST`, 2^cost rounds; 12 takes about a
    /// quarter of a second here, as it should; tests lower it).
    public var passwordHashCost: UInt8 = 12
    /// Identification attempts allowed per client address an hour (raise it behind a shared
    /// address: a lobby kiosk network, a load test).
    public var identifyAttemptsPerAddress = 30
    /// The MIS gateways of the region; the demo default is the local reference MIS.
    public var misEndpoints: [MISEndpoint]
    /// The federal portal's keys at its door (`REGISTRATURA_FEDERAL_KEYS`, `id:secret` pairs separated by
    /// commas); none: no door. On the embedded defaults (the demo region), the demo's own key.
    public var federalKeys: [String: String] = [Self.federalDemoKey.id: Self.federalDemoKey.secret]
    /// The addresses the federal portal calls from (`REGISTRATURA_FEDERAL_NETWORKS`); nil: any (the
    /// keys still decide). On the embedded defaults, this machine only.
    public var federalNetworks: IPNetworks? = IPNetworks("127.0.0.1/32, ::1/128")
    /// Calls one node may have under way to one gateway at once (`REGISTRATURA_MIS_CONNECTIONS`);
    /// more wait for a free connection.
    public var misConnectionsPerGateway = 32
    /// The PostgreSQL store shared by several nodes (`REGISTRATURA_DATABASE_URL`,
    /// `postgres://user:password@host:5432/database`); nil: the SQLite file in the data directory.
    public var databaseURL: String?
    /// The booking rules every channel applies (DESIGN §3; today's values are the defaults).
    public var bookingRules = BookingRules()
    /// How long request heads, bodies and idle connections may take, and connections per client address.
    public var connectionLimits = ConnectionLimits()
    /// Every MIS call a page makes ends within this, retries included: the patient gets an answer
    /// (the page, or "the clinic does not answer, try again") within it.
    public var pageMISDeadline: Duration = .milliseconds(4_500)
    /// Client addresses `/metrics` answers (`REGISTRATURA_METRICS_ALLOW`, comma-separated); anyone else gets 404.
    public var metricsAllowedAddresses: Set<String> = ["127.0.0.1", "::1"]
    /// Reverse proxies in front of the node (`REGISTRATURA_TRUSTED_PROXIES`, comma-separated IPs):
    /// for their requests the client's address comes from `X-Forwarded-For`. Empty: nobody's header is believed.
    public var trustedProxies: Set<String> = []
    /// The audit trail's key (`REGISTRATURA_AUDIT_KEY`, 64 hex digits — the same on every node), or
    /// the file holding it (`REGISTRATURA_AUDIT_KEY_FILE`; default `audit.key` in the data directory,
    /// made on first start for SQLite). Never in the store.
    public var auditKeyHex: String?
    public var auditKeyFile: String?
    /// Where the audit chain's head is recorded every five minutes (`REGISTRATURA_AUDIT_CHECKPOINTS`;
    /// default `audit-checkpoints` in the data directory).
    public var auditCheckpointsFile: String?
    /// Networks the staff workstation answers (`REGISTRATURA_STAFF_NETWORKS`, like `10.0.0.0/8, 192.168.10.0/24`);
    /// from anywhere else its pages, the sign-in form included, are refused. nil: every address.
    public var staffNetworks: IPNetworks?
    /// Messages to patients: links, mail server, SMS gateway (`NotificationConfiguration`).
    public var notifications = NotificationConfiguration()

    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        dataDirectory: String = "data",
        templatesDirectory: String = "Templates",
        publicDirectory: String = "Public",
        development: Bool = false,
        strictTemplates: Bool = false,
        logLevel: String = "info",
        misEndpoints: [MISEndpoint] = [.referenceDemo]
    ) {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.templatesDirectory = templatesDirectory
        self.publicDirectory = publicDirectory
        self.development = development
        self.strictTemplates = strictTemplates
        self.misEndpoints = misEndpoints
        self.logLevel = logLevel
    }

    /// The defaults overridden by whichever `REGISTRATURA_*` variables are set.
    public init(environment: [String: String]) throws(ConfigurationError) {
        self.init()
        if let host = environment["REGISTRATURA_HOST"] { self.host = host }
        if let port = environment["REGISTRATURA_PORT"] { self.port = try Self.port(port, from: "REGISTRATURA_PORT") }
        if let directory = environment["REGISTRATURA_DATA_DIR"] { dataDirectory = directory }
        if let directory = environment["REGISTRATURA_TEMPLATES"] { templatesDirectory = directory }
        if let directory = environment["REGISTRATURA_PUBLIC"] { publicDirectory = directory }
        if let flag = environment["REGISTRATURA_DEVELOPMENT"] { development = try Self.flag(flag, from: "REGISTRATURA_DEVELOPMENT") }
        if let level = environment["LOG_LEVEL"] { logLevel = level }
        if let flag = environment["REGISTRATURA_SECURE_COOKIES"] { secureCookies = try Self.flag(flag, from: "REGISTRATURA_SECURE_COOKIES") }
        if let seconds = environment["REGISTRATURA_SESSION_IDLE_SECONDS"] {
            guard let value = Int(seconds), (10...86_400).contains(value) else {
                throw ConfigurationError("REGISTRATURA_SESSION_IDLE_SECONDS must be a number of seconds from 10 to 86400, not '\(seconds)'")
            }
            sessionIdleTimeout = TimeInterval(value)
        }
        if let seconds = environment["REGISTRATURA_STAFF_SESSION_IDLE_SECONDS"] {
            guard let value = Int(seconds), (60...86_400).contains(value) else {
                throw ConfigurationError("REGISTRATURA_STAFF_SESSION_IDLE_SECONDS must be a number of seconds from 60 to 86400, not '\(seconds)'")
            }
            staffSessionIdleTimeout = TimeInterval(value)
        }
        if let seconds = environment["REGISTRATURA_KIOSK_IDLE_SECONDS"] {
            guard let value = Int(seconds), (10...600).contains(value) else {
                throw ConfigurationError("REGISTRATURA_KIOSK_IDLE_SECONDS must be a number of seconds from 10 to 600, not '\(seconds)'")
            }
            kioskIdleTimeout = TimeInterval(value)
        }
        if let cost = environment["REGISTRATURA_PASSWORD_COST"] {
            guard let value = UInt8(cost), (4...16).contains(value) else { throw ConfigurationError("REGISTRATURA_PASSWORD_COST must be a number from 4 to 16, not '\(cost)'") }
            passwordHashCost = value
        }
        if let limit = environment["REGISTRATURA_IDENTIFY_LIMIT_PER_ADDRESS"] {
            guard let value = Int(limit), value > 0 else { throw ConfigurationError("REGISTRATURA_IDENTIFY_LIMIT_PER_ADDRESS must be a positive number, not '\(limit)'") }
            identifyAttemptsPerAddress = value
        }
        if let endpoints = environment["REGISTRATURA_MIS"] {
            misEndpoints = try MISEndpoint.parseList(endpoints)
            // A real region: the portal's door opens only with keys the operator gives it.
            federalKeys = [:]
            federalNetworks = nil
        }
        if let keys = environment["REGISTRATURA_FEDERAL_KEYS"] { federalKeys = try Self.keyPairs(keys, from: "REGISTRATURA_FEDERAL_KEYS") }
        if let networks = environment["REGISTRATURA_FEDERAL_NETWORKS"], !networks.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let parsed = IPNetworks(networks) else {
                throw ConfigurationError("REGISTRATURA_FEDERAL_NETWORKS must list networks or addresses, like 10.20.0.0/16 — not '\(networks)'")
            }
            federalNetworks = parsed
        }
        if let connections = environment["REGISTRATURA_MIS_CONNECTIONS"] {
            guard let value = Int(connections), (1...1_000).contains(value) else {
                throw ConfigurationError("REGISTRATURA_MIS_CONNECTIONS must be a number of connections from 1 to 1000, not '\(connections)'")
            }
            misConnectionsPerGateway = value
        }
        if let url = environment["REGISTRATURA_DATABASE_URL"], !url.isEmpty {
            guard PostgresStore.isAddress(url) else {
                throw ConfigurationError(StoreAddressError(url: url).description)
            }
            databaseURL = url
        }
        notifications = try NotificationConfiguration(environment: environment)
        if let allowed = environment["REGISTRATURA_METRICS_ALLOW"] { metricsAllowedAddresses = try Self.addresses(allowed, from: "REGISTRATURA_METRICS_ALLOW") }
        if let proxies = environment["REGISTRATURA_TRUSTED_PROXIES"] { trustedProxies = try Self.addresses(proxies, from: "REGISTRATURA_TRUSTED_PROXIES") }
        if let key = environment["REGISTRATURA_AUDIT_KEY"], !key.isEmpty {
            guard AuditKey(hex: key) != nil else { throw ConfigurationError("REGISTRATURA_AUDIT_KEY must be 64 hex digits (registratura audit new-key makes one)") }
            auditKeyHex = key
        }
        if let file = environment["REGISTRATURA_AUDIT_KEY_FILE"], !file.isEmpty { auditKeyFile = file }
        if let file = environment["REGISTRATURA_AUDIT_CHECKPOINTS"], !file.isEmpty { auditCheckpointsFile = file }
        if let networks = environment["REGISTRATURA_STAFF_NETWORKS"], !networks.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let parsed = IPNetworks(networks) else {
                throw ConfigurationError("REGISTRATURA_STAFF_NETWORKS must list networks or addresses, like 10.0.0.0/8, 192.168.10.0/24 — not '\(networks)'")
            }
            staffNetworks = parsed
        }
        if let hours = environment["REGISTRATURA_LEAD_TIME_HOURS"] {
            guard let value = Double(hours), (0...72).contains(value) else { throw ConfigurationError("REGISTRATURA_LEAD_TIME_HOURS must be a number of hours from 0 to 72, not '\(hours)'") }
            bookingRules.leadTime = value * 3_600
        }
        if let days = environment["REGISTRATURA_HORIZON_DAYS"] {
            guard let value = Int(days), (1...60).contains(value) else { throw ConfigurationError("REGISTRATURA_HORIZON_DAYS must be a number of days from 1 to 60, not '\(days)'") }
            bookingRules.horizonDays = value
        }
        if let limit = environment["REGISTRATURA_CONNECTIONS_PER_ADDRESS"] {
            guard let value = Int(limit), value >= 0 else { throw ConfigurationError("REGISTRATURA_CONNECTIONS_PER_ADDRESS must be a number (0 for no limit), not '\(limit)'") }
            connectionLimits.connectionsPerAddress = value
        }
        if let seconds = environment["REGISTRATURA_REQUEST_HEAD_TIMEOUT_SECONDS"] {
            guard let value = Int(seconds), (1...600).contains(value) else {
                throw ConfigurationError("REGISTRATURA_REQUEST_HEAD_TIMEOUT_SECONDS must be a number of seconds from 1 to 600, not '\(seconds)'")
            }
            connectionLimits.requestHeadTimeout = .seconds(value)
            connectionLimits.requestBodyTimeout = .seconds(2 * value)
        }
    }

    /// The address a person opens in a browser.
    public var url: String {
        let shownHost = host == "0.0.0.0" || host == "::" ? "localhost" : host
        return "http://\(shownHost):\(port)/"
    }

    /// The federal portal's key on the demo region (`registratura demo` prints it).
    public static let federalDemoKey = (id: "federal-demo", secret: "federal-demo-secret")

    /// `id:secret` pairs separated by commas: ids of letters, digits, `-` and `_`; secrets of 16 characters or more.
    static func keyPairs(_ text: String, from source: String) throws(ConfigurationError) -> [String: String] {
        var keys: [String: String] = [:]
        for pair in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !pair.isEmpty {
            let parts = pair.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, (1...64).contains(parts[0].count), parts[0].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }),
                parts[1].count >= 16, keys[parts[0]] == nil
            else { throw ConfigurationError("\(source) must be id:secret pairs separated by commas (secrets of 16 characters or more)") }
            keys[parts[0]] = parts[1]
        }
        return keys
    }

    static func port(_ text: String, from source: String) throws(ConfigurationError) -> Int {
        guard let port = Int(text), (0...65_535).contains(port) else {
            throw ConfigurationError("\(source) must be a port number from 0 to 65535, not '\(text)'")
        }
        return port
    }

    /// IP addresses separated by commas.
    static func addresses(_ text: String, from source: String) throws(ConfigurationError) -> Set<String> {
        let addresses = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard addresses.allSatisfy(ClientAddress.isValid) else { throw ConfigurationError("\(source) takes IP addresses separated by commas, not '\(text)'") }
        return Set(addresses)
    }

    static func flag(_ text: String, from source: String) throws(ConfigurationError) -> Bool {
        switch text.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off", "": return false
        default: throw ConfigurationError("\(source) must be 1 or 0, not '\(text)'")
        }
    }
}

/// A setting that cannot be used, said so that the operator can fix it.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}

extension MISEndpoint {
    /// The reference MIS started by `registratura demo`.
    public static let referenceDemo = MISEndpoint(id: "reference", url: "http://127.0.0.1:8081/serverais", keyID: "registry", secret: "demo-secret")

    /// Gateways as `REGISTRATURA_MIS` lists them: `id|url|key id|secret` or, to name the gateway's
    /// clinics apart from another's, `id|url|key id|secret|prefix` (letters, digits and `-`; its clinic
    /// «101» becomes «prefix.101»), separated by `;`. With several gateways at most one may go
    /// without a prefix, and no two share one.
    static func parseList(_ text: String) throws(ConfigurationError) -> [MISEndpoint] {
        var result: [MISEndpoint] = []
        for entry in text.split(separator: ";") where !entry.trimmingCharacters(in: .whitespaces).isEmpty {
            let parts = entry.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 4 || parts.count == 5, parts.allSatisfy({ !$0.isEmpty }), parts[1].hasPrefix("http") else {
                throw ConfigurationError("REGISTRATURA_MIS entries are id|url|key|secret or id|url|key|secret|prefix separated by ';', not '\(entry)'")
            }
            let prefix = parts.count == 5 ? parts[4] : ""
            guard prefix.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
                throw ConfigurationError("a clinic prefix in REGISTRATURA_MIS is letters, digits and '-', not '\(prefix)'")
            }
            result.append(MISEndpoint(id: parts[0], url: parts[1], keyID: parts[2], secret: parts[3], clinicPrefix: prefix.isEmpty ? "" : prefix + "."))
        }
        guard !result.isEmpty else { throw ConfigurationError("REGISTRATURA_MIS names no gateway") }
        let prefixes = result.map(\.clinicPrefix)
        guard Set(prefixes).count == prefixes.count else {
            throw ConfigurationError("REGISTRATURA_MIS: with several gateways each needs its own clinic prefix (one may have none), so that their clinic ids cannot collide")
        }
        return result
    }
}

extension AppConfiguration {
    /// The audit trail's key: as given, or read from its file — made there on first start when the
    /// store is this node's own SQLite file. Several nodes on PostgreSQL must share one key, so there
    /// a missing key stops the start with a message that says what to do.
    public func auditKey() throws(ConfigurationError) -> AuditKey {
        if let hex = auditKeyHex, let key = AuditKey(hex: hex) { return key }
        let path = auditKeyFile ?? dataDirectory + "/audit.key"
        do {
            return try AuditKey.load(path: path, create: databaseURL == nil)
        } catch {
            let advice = "Several nodes on PostgreSQL share one: make it with `registratura audit new-key` and give every node the same REGISTRATURA_AUDIT_KEY (or REGISTRATURA_AUDIT_KEY_FILE)"
            throw ConfigurationError("the audit trail's key: \(String(describing: error)). \(advice)")
        }
    }

    /// Where this node records the audit chain's head.
    public var auditCheckpoints: AuditCheckpoints {
        AuditCheckpoints(path: auditCheckpointsFile ?? dataDirectory + "/audit-checkpoints")
    }
}
