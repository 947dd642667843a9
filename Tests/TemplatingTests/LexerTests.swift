import Testing
@testable import Templating

@Suite("Lexer")
struct LexerTests {
    private func kinds(_ source: String) throws -> [Token.Kind] {
        try Lexer.tokenize(Array(source.utf8)).map(\.kind)
    }

    @Test func splitsTextAndOutputTags() throws {
        #expect(try kinds("Привет, {{ patient.name }}!") == [
            .text("Привет, "), .outputStart, .identifier("patient"), .symbol("."), .identifier("name"), .tagEnd, .text("!"),
        ])
    }

    @Test func lexesLiteralsAndOperators() throws {
        #expect(try kinds(#"{% if a.count >= 2 and b != "x\"y" or c <= 1.5 %}"#) == [
            .statementStart, .identifier("if"), .identifier("a"), .symbol("."), .identifier("count"), .symbol(">="), .integer(2),
            .identifier("and"), .identifier("b"), .symbol("!="), .string("x\"y"), .identifier("or"), .identifier("c"),
            .symbol("<="), .decimal(1.5), .tagEnd,
        ])
    }

    @Test func dropsComments() throws {
        #expect(try kinds("a{# скрытый {{ x }} комментарий #}b") == [.text("a"), .text("b")])
    }

    @Test func dashTrimsWhitespaceOnItsSide() throws {
        #expect(try kinds("a  \n {{- x -}} \n  b") == [.text("a"), .outputStart, .identifier("x"), .tagEnd, .text("b")])
        #expect(try kinds("a {{ x -}}  b") == [.text("a "), .outputStart, .identifier("x"), .tagEnd, .text("b")])
    }

    @Test func standaloneStatementLineDisappears() throws {
        let source = "<ul>\n  {% for x in xs %}\n  <li>\n  {% endfor %}\n</ul>"
        #expect(try kinds(source) == [
            .text("<ul>\n"), .statementStart, .identifier("for"), .identifier("x"), .identifier("in"), .identifier("xs"), .tagEnd,
            .text("  <li>\n"), .statementStart, .identifier("endfor"), .tagEnd, .text("</ul>"),
        ])
    }

    @Test func outputTagsAreNeverStandalone() throws {
        #expect(try kinds("a\n  {{ x }}\nb") == [.text("a\n  "), .outputStart, .identifier("x"), .tagEnd, .text("\nb")])
    }

    @Test func statementSharingALineWithTextKeepsTheLine() throws {
        #expect(try kinds("  <b>{% if x %}\n") == [.text("  <b>"), .statementStart, .identifier("if"), .identifier("x"), .tagEnd, .text("\n")])
    }

    @Test func recordsOffsets() throws {
        let tokens = try Lexer.tokenize(Array("ab{{ cd }}".utf8))
        #expect(tokens.map(\.offset) == [0, 2, 5, 8])
    }

    @Test(arguments: [
        ("{{ x ", 0, "tag is not closed with }}"),
        ("ab {% if x ", 3, "tag is not closed with %}"),
        ("{# open", 0, "comment is not closed with #}"),
        ("{{ \"abc }}", 3, "string is not closed"),
        ("{{ x ; }}", 5, "unexpected character ';' in tag"),
        ("{{ x {{ y }}", 0, "tag is not closed before the next tag begins"),
    ])
    func reportsWhereLexingFails(source: String, offset: Int, message: String) {
        #expect(throws: PositionedError.self) { try Lexer.tokenize(Array(source.utf8)) }
        do {
            _ = try Lexer.tokenize(Array(source.utf8))
        } catch {
            #expect(error.offset == offset)
            #expect(error.message == message)
        }
    }
}
