import Foundation
import Testing
@testable import Templating

@Suite("Template library")
struct TemplateLibraryTests {
    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("templates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url.appendingPathComponent("pages"), withIntermediateDirectories: true)
        return url
    }

    @Test func loadsEveryTemplateUnderTheDirectoryByRelativeName() throws {
        let directory = try temporaryDirectory()
        try "<b>{% block body %}{% endblock %}</b>".write(to: directory.appendingPathComponent("layout.html"), atomically: true, encoding: .utf8)
        try "{% extends \"layout\" %}{% block body %}{{ x }}{% endblock %}".write(to: directory.appendingPathComponent("pages/home.html"), atomically: true, encoding: .utf8)
        let library = try TemplateLibrary(directory: directory.path)
        #expect(library.templateNames == ["layout", "pages/home"])
        #expect(try library.renderString("pages/home", TemplateDictionary(["x": "да"])) == "<b>да</b>")
    }

    @Test func aBrokenTemplateStopsLoadingWithItsLocation() throws {
        let directory = try temporaryDirectory()
        try "ok\n\n {% if %}".write(to: directory.appendingPathComponent("pages/bad.html"), atomically: true, encoding: .utf8)
        #expect(throws: TemplateError(template: "pages/bad", line: 3, column: 8, message: "expected a value before the tag ends")) {
            try TemplateLibrary(directory: directory.path)
        }
    }

    @Test func developmentModeReloadsChangedFiles() throws {
        let directory = try temporaryDirectory()
        let file = directory.appendingPathComponent("pages/home.html")
        try "первый".write(to: file, atomically: true, encoding: .utf8)
        let library = try TemplateLibrary(directory: directory.path, options: TemplateOptions(reloadsOnChange: true))
        #expect(try library.renderString("pages/home", TemplateDictionary([:])) == "первый")
        try "второй".write(to: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(5)], ofItemAtPath: file.path)
        #expect(try library.renderString("pages/home", TemplateDictionary([:])) == "второй")
        try "{% if %}".write(to: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(10)], ofItemAtPath: file.path)
        #expect(throws: TemplateError.self) { try library.renderString("pages/home", TemplateDictionary([:])) }
    }

    @Test func unknownTemplateName() throws {
        let library = try TemplateLibrary(templates: [:])
        #expect(throws: TemplateError.self) { try library.render("nope", TemplateDictionary([:])) }
    }

    @Test func rendersConcurrentlyFromManyTasks() async throws {
        let library = try TemplateLibrary(templates: ["t": "{% for x in xs %}{{ x }}{% endfor %}"])
        let results = await withTaskGroup(of: String.self) { group in
            for n in 0..<50 {
                group.addTask { (try? library.renderString("t", TemplateDictionary(["xs": .list([.int(n), .int(n)])]))) ?? "" }
            }
            return await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(results.count == 50)
    }
}
