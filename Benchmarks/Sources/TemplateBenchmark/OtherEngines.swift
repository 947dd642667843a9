import Foundation
import LeafKit
import Mustache
import NIOCore
import NIOEmbedded
import Stencil

// The engines we compare with, each given the page the way it is meant to be used: compiled once,
// contexts built once (Leaf, Stencil) or read through hand-written lookup (Mustache, no Mirror).

/// swift-mustache with its `MustacheParent` protocol for field lookup.
struct MustacheContender {
    let library: MustacheLibrary

    init(directory: String) async throws {
        library = try await MustacheLibrary(directory: directory)
    }

    func render(_ page: SlotGridPage) -> String {
        library.render(MustacheRoot(page: page), withTemplate: "page") ?? ""
    }
}

struct MustacheRoot: MustacheParent {
    let page: SlotGridPage
    func child(named name: String) -> Any? {
        switch name {
        case "page": page
        case "site": ["name": "Регистратура", "year": 2026] as [String: Any]
        default: nil
        }
    }
}

extension SlotGridPage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "clinic": clinic
        case "doctor": doctor
        case "days": days
        case "freeLabel": freeLabel
        default: nil
        }
    }
}

extension SlotGridPage.Clinic: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "id": id
        case "name": self.name
        case "shortName": shortName
        case "address": address
        case "phone": phone
        case "zoneLabel": zoneLabel
        default: nil
        }
    }
}

extension SlotGridPage.Doctor: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "id": id
        case "name": self.name
        case "specialty": specialty
        case "room": room
        default: nil
        }
    }
}

extension SlotGridPage.Day: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "iso": iso
        case "label": label
        case "slots": slots
        case "hasSlots": hasSlots
        default: nil
        }
    }
}

extension SlotGridPage.Slot: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "id": id
        case "time": time
        case "free": free
        default: nil
        }
    }
}

/// LeafKit with the flat AST cached after the first render and the context prebuilt.
final class LeafContender {
    private let loop = EmbeddedEventLoop()
    private let renderer: LeafRenderer
    private let context: [String: LeafData]

    init(directory: String, page: SlotGridPage) throws {
        var files: [String: ByteBuffer] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) where name.hasSuffix(".leaf") {
            let text = try String(contentsOfFile: directory + "/" + name, encoding: .utf8)
            files[String(name.dropLast(5))] = ByteBuffer(string: text)
        }
        renderer = LeafRenderer(
            configuration: LeafConfiguration(rootDirectory: "/"),
            sources: .singleSource(MemoryLeafSource(files: files)),
            eventLoop: loop
        )
        context = Self.context(page)
    }

    func render() throws -> ByteBuffer {
        var result: Result<ByteBuffer, any Error>?
        renderer.render(path: "page", context: context).whenComplete { result = $0 }
        loop.run()
        return try result!.get()
    }

    private static func context(_ page: SlotGridPage) -> [String: LeafData] {
        let days: [LeafData] = page.days.map { day in
            .dictionary([
                "iso": .string(day.iso), "label": .string(day.label), "hasSlots": .bool(day.hasSlots),
                "slots": .array(day.slots.map { .dictionary(["id": .int($0.id), "time": .string($0.time), "free": .bool($0.free)]) }),
            ])
        }
        return [
            "site": .dictionary(["name": .string("Регистратура"), "year": .int(2026)]),
            "page": .dictionary([
                "clinic": .dictionary([
                    "id": .int(page.clinic.id), "name": .string(page.clinic.name), "shortName": .string(page.clinic.shortName),
                    "address": .string(page.clinic.address), "phone": .string(page.clinic.phone), "zoneLabel": .string(page.clinic.zoneLabel),
                ]),
                "doctor": .dictionary([
                    "id": .int(page.doctor.id), "name": .string(page.doctor.name), "specialty": .string(page.doctor.specialty),
                    "room": .string(page.doctor.room),
                ]),
                "days": .array(days),
                "freeLabel": .string(page.freeLabel),
            ]),
        ]
    }
}

struct MemoryLeafSource: LeafSource {
    let files: [String: ByteBuffer]

    func file(template: String, escape: Bool, on eventLoop: any EventLoop) throws -> EventLoopFuture<ByteBuffer> {
        guard let file = files[template] else { return eventLoop.makeFailedFuture(LeafError(.noTemplateExists(template))) }
        return eventLoop.makeSucceededFuture(file)
    }
}

/// Stencil with parsed templates cached (stock Stencil re-parses a layout on every render) and an
/// escaping filter, since Stencil does not escape by itself.
final class StencilContender {
    private let environment: Environment
    private let template: Template
    private let context: [String: Any]

    init(directory: String, page: SlotGridPage) throws {
        var sources: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) where name.hasSuffix(".html") {
            sources[name] = try String(contentsOfFile: directory + "/" + name, encoding: .utf8)
        }
        let escaping = Extension()
        escaping.registerFilter("e") { value in
            switch value {
            case let text as String:
                var out = ""
                HandWritten.escape(text, into: &out)
                return out
            case let number as Int: return String(number)
            default: return value
            }
        }
        environment = Environment(loader: CachingLoader(DictionaryLoader(templates: sources)), extensions: [escaping])
        template = try environment.loadTemplate(name: "page.html")
        context = Self.context(page)
    }

    func render() throws -> String {
        try template.render(context)
    }

    private static func context(_ page: SlotGridPage) -> [String: Any] {
        let days: [[String: Any]] = page.days.map { day in
            [
                "iso": day.iso, "label": day.label, "hasSlots": day.hasSlots,
                "slots": day.slots.map { ["id": $0.id, "time": $0.time, "free": $0.free] as [String: Any] },
            ]
        }
        return [
            "site": ["name": "Регистратура", "year": 2026] as [String: Any],
            "page": [
                "clinic": [
                    "id": page.clinic.id, "name": page.clinic.name, "shortName": page.clinic.shortName,
                    "address": page.clinic.address, "phone": page.clinic.phone, "zoneLabel": page.clinic.zoneLabel,
                ] as [String: Any],
                "doctor": ["id": page.doctor.id, "name": page.doctor.name, "specialty": page.doctor.specialty, "room": page.doctor.room] as [String: Any],
                "days": days,
                "freeLabel": page.freeLabel,
            ] as [String: Any],
        ]
    }
}

/// Keeps each parsed Stencil template, so that `extends` and `include` do not parse again.
final class CachingLoader: Loader {
    private let base: DictionaryLoader
    private var cache: [String: Template] = [:]

    init(_ base: DictionaryLoader) {
        self.base = base
    }

    func loadTemplate(name: String, environment: Environment) throws -> Template {
        if let cached = cache[name] { return cached }
        let template = try base.loadTemplate(name: name, environment: environment)
        cache[name] = template
        return template
    }
}
