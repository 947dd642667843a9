import Testing
@testable import Templating

@Suite("Parser")
struct ParserTests {
    private func parse(_ source: String) throws(PositionedError) -> SyntaxTree {
        try Parser.parse(Array(source.utf8))
    }

    @Test func outputWithFiltersAndRaw() throws {
        let tree = try parse(#"{{ slot.start | date("HH:mm", clinic.zone) }}{{ raw page.html }}"#)
        #expect(tree.nodes == [
            .output(
                .filter(.path(["slot", "start"], offset: 3), name: "date",
                        arguments: [.literal(.string("HH:mm")), .path(["clinic", "zone"], offset: 30)], offset: 16),
                raw: false, offset: 0),
            .output(.path(["page", "html"], offset: 52), raw: true, offset: 45),
        ])
    }

    @Test func aVariableNamedRawIsStillAVariable() throws {
        #expect(try parse("{{ raw }}").nodes == [.output(.path(["raw"], offset: 3), raw: false, offset: 0)])
        #expect(try parse("{{ raw.x }}").nodes == [.output(.path(["raw", "x"], offset: 3), raw: false, offset: 0)])
    }

    @Test func operatorPrecedence() throws {
        let tree = try parse("{{ not a or b and c == 1 }}")
        guard case .output(let expression, _, _) = tree.nodes.first else { Issue.record("no output"); return }
        #expect(expression == .binary(
            .or,
            .not(.path(["a"], offset: 7)),
            .binary(.and, .path(["b"], offset: 12), .binary(.equal, .path(["c"], offset: 18), .literal(.integer(1)), offset: 20), offset: 14),
            offset: 9))
    }

    @Test func conditionalWithElifAndElse() throws {
        let tree = try parse("{% if a %}A{% elif b %}B{% else %}C{% endif %}")
        #expect(tree.nodes == [
            .conditional(
                branches: [
                    SyntaxBranch(condition: .path(["a"], offset: 6), body: [.text("A")]),
                    SyntaxBranch(condition: .path(["b"], offset: 19), body: [.text("B")]),
                ],
                otherwise: [.text("C")]),
        ])
    }

    @Test func loopWithEmptyBranch() throws {
        let tree = try parse("{% for s in slots %}{{ s }}{% empty %}нет{% endfor %}")
        #expect(tree.nodes == [
            .loop(variable: "s", sequence: .path(["slots"], offset: 12), body: [.output(.path(["s"], offset: 23), raw: false, offset: 20)],
                  empty: [.text("нет")], offset: 0),
        ])
    }

    @Test func extendsAndBlocks() throws {
        let tree = try parse("{# page #}\n{% extends \"layouts/site\" %}\n{% block title %}Главная{% endblock %}\n")
        #expect(tree.parent?.name == "layouts/site")
        #expect(tree.nodes == [.block(name: "title", body: [.text("Главная")], offset: 40)])
    }

    @Test func includeWithParameters() throws {
        let tree = try parse(#"{% include "partials/slot" with slot: s, compact: true %}"#)
        #expect(tree.nodes == [
            .include(name: "partials/slot", arguments: [
                SyntaxArgument(name: "slot", value: .path(["s"], offset: 38)),
                SyntaxArgument(name: "compact", value: .literal(.bool(true))),
            ], offset: 0),
        ])
    }

    @Test(arguments: [
        ("{% if a %}x", 0, "{% if %} is never closed with {% endif %}"),
        ("{% for a in b %}x{% endif %}", 17, "expected {% endfor %} to close {% for %}, found {% endif %}"),
        ("x{% endfor %}", 1, "{% endfor %} has no matching opening tag"),
        ("{% frobnicate %}", 0, "unknown statement 'frobnicate'"),
        ("{{ }}", 0, "output tag is empty"),
        ("{{ a | }}", 7, "expected a filter name after |, found the end of the tag"),
        ("{% for in xs %}{% endfor %}", 7, "expected the loop variable's name after for, found 'in'"),
        ("{{ a.1 }}", 5, "expected a field name after ., found 1"),
        ("x{% extends \"l\" %}", 1, "extends must be the first tag of the template"),
        ("{% extends \"l\" %}<p>{% block a %}{% endblock %}", 0, "a template that extends a layout may only contain blocks"),
        ("{% include partial %}", 11, "expected the included template's name in quotes, found 'partial'"),
    ])
    func reportsWhereParsingFails(source: String, offset: Int, message: String) {
        do {
            _ = try Parser.parse(Array(source.utf8))
            Issue.record("expected a parse error for \(source)")
        } catch {
            #expect(error.message == message)
            #expect(error.offset == offset)
        }
    }
}
