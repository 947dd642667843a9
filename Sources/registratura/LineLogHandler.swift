import Foundation
import Logging
import Synchronization

/// Log lines on standard error in swift-log's `StreamLogHandler` format
/// (`2026-12-01T23:26:17+0000 info registratura: key=value … [Source] message`), made for a server
/// that logs every request: metadata is sorted and joined only when a line is written (the stream
/// handler did it on every change too — each request's id — and again for each line), the time of
/// day is formatted once a second, and each line is one `write`, without stdio's lock and flush.
struct LineLogHandler: LogHandler {
    private let label: String
    var logLevel: Logger.Level = .info
    var metadata = Logger.Metadata()
    var metadataProvider: Logger.MetadataProvider?

    init(label: String, metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider) {
        self.label = label
        self.metadataProvider = metadataProvider
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        // Every source's pairs, later sources winning (provider over the logger's, the line's over both).
        var pairs: [(key: String, rank: Int, value: Logger.MetadataValue)] = metadata.map { ($0.key, 0, $0.value) }
        if let provided = metadataProvider?.get() { pairs += provided.map { ($0.key, 1, $0.value) } }
        if let explicit = event.metadata { pairs += explicit.map { ($0.key, 2, $0.value) } }
        if let error = event.error {
            pairs.append(("error.message", 3, .string("\(error)")))
            pairs.append(("error.type", 3, .string(String(reflecting: type(of: error)))))
        }
        pairs.sort { $0.key != $1.key ? $0.key < $1.key : $0.rank < $1.rank }
        var line = LineLogHandler.clock.now()
        line.append(" ")
        line.append(event.level.rawValue)
        if !label.isEmpty {
            line.append(" ")
            line.append(label)
        }
        line.append(":")
        for (index, pair) in pairs.enumerated() where index == pairs.count - 1 || pairs[index + 1].key != pair.key {
            line.append(" ")
            line.append(pair.key)
            line.append("=")
            line.append(pair.value.description)
        }
        line.append(" [")
        line.append(event.source)
        line.append("] ")
        line.append(event.message.description)
        line.append("\n")
        Self.write(line)
    }

    private static func write(_ line: String) {
        var line = line
        line.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Foundation.write(STDERR_FILENO, bytes.baseAddress! + offset, bytes.count - offset)
                if written > 0 { offset += written } else if written < 0 && errno == EINTR { continue } else { return }
            }
        }
    }

    private static let clock = SecondClock()
}

/// The local time of day as `StreamLogHandler` writes it, formatted once per second.
private final class SecondClock: Sendable {
    private let last = Mutex<(second: time_t, text: String)>((-1, ""))

    func now() -> String {
        var seconds = time(nil)
        if let known = last.withLock({ $0.second == seconds ? $0.text : nil }) { return known }
        var local = tm()
        var buffer = [CChar](repeating: 0, count: 64)
        guard localtime_r(&seconds, &local) != nil else { return "<unknown>" }
        strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &local)
        let text = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        last.withLock { $0 = (seconds, text) }
        return text
    }
}
