import Foundation

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

    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        dataDirectory: String = "data",
        templatesDirectory: String = "Templates",
        publicDirectory: String = "Public",
        development: Bool = false,
        strictTemplates: Bool = false,
        logLevel: String = "info"
    ) {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.templatesDirectory = templatesDirectory
        self.publicDirectory = publicDirectory
        self.development = development
        self.strictTemplates = strictTemplates
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
    }

    /// The address a person opens in a browser.
    public var url: String {
        let shownHost = host == "0.0.0.0" || host == "::" ? "localhost" : host
        return "http://\(shownHost):\(port)/"
    }

    static func port(_ text: String, from source: String) throws(ConfigurationError) -> Int {
        guard let port = Int(text), (0...65_535).contains(port) else {
            throw ConfigurationError("\(source) must be a port number from 0 to 65535, not '\(text)'")
        }
        return port
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
