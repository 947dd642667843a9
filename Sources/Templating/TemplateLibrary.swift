import Foundation
import Synchronization

/// All templates of an application, compiled once; the one way to render a page.
///
/// Built from a directory (every `*.html` below it, named by relative path without the extension:
/// `pages/patient/home`; every `*.txt`, plain text whose outputs are not escaped, named with it:
/// `messages/booked.txt`) or from in-memory sources in tests. In development it recompiles when a file
/// changes, and a template that no longer compiles is reported on render.
public final class TemplateLibrary: Sendable {
    private struct State {
        var set: TemplateSet
        var stamps: [String: Date]
        var sizeHints: [Int]
    }

    private let directory: URL?
    private let options: TemplateOptions
    private let state: Mutex<State>

    /// Compiles every template under `directory`; throws the first template error found.
    public convenience init(directory: String, options: TemplateOptions = TemplateOptions()) throws(TemplateError) {
        let url = URL(fileURLWithPath: directory, isDirectory: true)
        let (sources, stamps) = try Self.load(url)
        try self.init(directory: url, sources: sources, stamps: stamps, options: options)
    }

    /// Compiles the given sources (name → template text).
    public convenience init(templates: [String: String], options: TemplateOptions = TemplateOptions()) throws(TemplateError) {
        try self.init(directory: nil, sources: templates, stamps: [:], options: options)
    }

    private init(directory: URL?, sources: [String: String], stamps: [String: Date], options: TemplateOptions) throws(TemplateError) {
        let set = try TemplateSet(sources: sources, options: options)
        self.directory = directory
        self.options = options
        self.state = Mutex(State(set: set, stamps: stamps, sizeHints: Array(repeating: 4096, count: set.templates.count)))
    }

    /// Names of all templates, sorted.
    public var templateNames: [String] {
        state.withLock { $0.set.indexByName.keys.sorted() }
    }

    /// Whether a template of that name exists.
    public func contains(_ name: String) -> Bool {
        state.withLock { $0.set.indexByName[name] != nil }
    }

    /// Renders template `name` with `context` as its top-level variables, as UTF-8 bytes.
    public func render(_ name: String, _ context: any TemplateObject) throws(TemplateError) -> [UInt8] {
        if options.reloadsOnChange { try reloadIfChanged() }
        let (set, capacity) = state.withLock { state in
            (state.set, state.set.indexByName[name].map { state.sizeHints[$0] } ?? 0)
        }
        guard let index = set.indexByName[name] else {
            throw TemplateError(template: name, line: 0, column: 0, message: "there is no template named '\(name)'")
        }
        var renderer = Renderer(set: set, root: context, strict: options.strict, capacity: capacity)
        do {
            try renderer.render(page: index)
        } catch let error as TemplateError {
            throw error
        } catch {
            throw TemplateError(template: name, line: 0, column: 0, message: "\(error)")
        }
        let size = renderer.output.count
        if size > capacity {
            state.withLock { $0.sizeHints[index] = max($0.sizeHints[index], size + size / 8) }
        }
        return renderer.output.bytes()
    }

    /// Renders template `name` as a string.
    public func renderString(_ name: String, _ context: any TemplateObject) throws(TemplateError) -> String {
        String(decoding: try render(name, context), as: UTF8.self)
    }

    // MARK: Loading

    private func reloadIfChanged() throws(TemplateError) {
        guard let directory else { return }
        let known = state.withLock { $0.stamps }
        guard Self.stamps(in: directory) != known else { return }
        let (sources, stamps) = try Self.load(directory)
        let set = try TemplateSet(sources: sources, options: options)
        state.withLock { $0 = State(set: set, stamps: stamps, sizeHints: Array(repeating: 4096, count: set.templates.count)) }
    }

    private static func files(in directory: URL) -> [(name: String, url: URL)] {
        let root = directory.standardizedFileURL.path
        guard let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.contentModificationDateKey]) else {
            return []
        }
        var result: [(String, URL)] = []
        for case let url as URL in enumerator where url.pathExtension == "html" || url.pathExtension == "txt" {
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(root) else { continue }
            let relative = path.dropFirst(root.count).drop(while: { $0 == "/" })
            result.append((url.pathExtension == "html" ? String(relative.dropLast(".html".count)) : String(relative), url))
        }
        return result
    }

    private static func stamps(in directory: URL) -> [String: Date] {
        var stamps: [String: Date] = [:]
        for file in files(in: directory) {
            let attributes = try? FileManager.default.attributesOfItem(atPath: file.url.path)
            stamps[file.name] = attributes?[.modificationDate] as? Date ?? .distantPast
        }
        return stamps
    }

    private static func load(_ directory: URL) throws(TemplateError) -> (sources: [String: String], stamps: [String: Date]) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw TemplateError(template: directory.path, line: 0, column: 0, message: "template directory does not exist")
        }
        var sources: [String: String] = [:]
        for file in files(in: directory) {
            guard let data = FileManager.default.contents(atPath: file.url.path) else {
                throw TemplateError(template: file.name, line: 0, column: 0, message: "cannot read \(file.url.path)")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw TemplateError(template: file.name, line: 0, column: 0, message: "file is not valid UTF-8")
            }
            sources[file.name] = text
        }
        return (sources, stamps(in: directory))
    }
}
