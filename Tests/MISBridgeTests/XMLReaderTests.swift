import Foundation
import Testing
@testable import MISBridge

@Suite("Hardened XML reader")
struct XMLReaderTests {
    private func parse(_ text: String, limits: XMLReader.Limits = .init()) throws(XMLProblem) -> XMLNode {
        try XMLReader(limits: limits).parse(Array(text.utf8))
    }

    private func problem(_ text: String, limits: XMLReader.Limits = .init()) -> XMLProblem.Kind? {
        do {
            _ = try parse(text, limits: limits)
            return nil
        } catch {
            return error.kind
        }
    }

    @Test func readsElementsAttributesAndText() throws {
        let root = try parse("""
            <?xml version="1.0" encoding="UTF-8"?>
            <response operation="GetLPUList" version="1"><clinics><clinic id="17" name="Поликлиника № 3 &amp; филиал &lt;1&gt;"/></clinics><note>текст &quot;в кавычках&quot;</note></response>
            """)
        #expect(root.name == "response")
        #expect(root.attribute("operation") == "GetLPUList")
        #expect(root.child("clinics")?.children.first?.attribute("name") == "Поликлиника № 3 & филиал <1>")
        #expect(root.child("note")?.text == "текст \"в кавычках\"")
    }

    @Test func writerOutputReadsBackUnchanged() throws {
        var writer = XMLWriter()
        let tricky = "a&b <c> \"d\" 'e' \n Ёё \u{1F3E5}"
        writer.start("response", ["operation": "X", "absent": nil])
        writer.empty("item", ["value": tricky])
        writer.start("text")
        writer.text(tricky)
        writer.end()
        let root = try parse(writer.finish())
        #expect(root.attribute("absent") == nil)
        #expect(root.child("item")?.attribute("value") == tricky)
        #expect(root.child("text")?.text == tricky)
    }

    @Test func refusesExternalEntities() {
        let xxe = """
            <?xml version="1.0"?>
            <!DOCTYPE response [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
            <response>&secret;</response>
            """
        #expect(problem(xxe) == .documentTypeDeclaration)
    }

    @Test func refusesEntityExpansionBombs() {
        var lines = ["<?xml version=\"1.0\"?>", "<!DOCTYPE lolz [", "<!ENTITY lol \"lol\">"]
        for level in 1...9 {
            let previous = level == 1 ? "lol" : "lol\(level - 1)"
            lines.append("<!ENTITY lol\(level) \"" + String(repeating: "&\(previous);", count: 10) + "\">")
        }
        lines.append("]><lolz>&lol9;</lolz>")
        #expect(problem(lines.joined(separator: "\n")) == .documentTypeDeclaration)
    }

    @Test func refusesExternalDTDs() {
        #expect(problem("<?xml version=\"1.0\"?><!DOCTYPE response SYSTEM \"http://127.0.0.1:1/x.dtd\"><response/>") == .documentTypeDeclaration)
    }

    @Test func refusesUndeclaredEntities() {
        #expect(problem("<response>&nbsp;</response>") == .malformed)
    }

    @Test func refusesOversizedDocuments() {
        let big = "<r>" + String(repeating: "<a/>", count: 1_000) + "</r>"
        #expect(problem(big, limits: .init(maximumBytes: 1_000)) == .tooLarge)
        #expect(problem(big, limits: .init(maximumElements: 500)) == .tooManyElements)
    }

    @Test func refusesDeepNesting() {
        let deep = String(repeating: "<a>", count: 10_000) + String(repeating: "</a>", count: 10_000)
        #expect(problem(deep) == .tooDeep)
    }

    @Test func refusesTruncatedAndBrokenDocuments() {
        #expect(problem("<response operation=\"GetLPUList\"><clinics><clinic id=\"1\"") == .malformed)
        #expect(problem("<response><a></b></response>") == .malformed)
        #expect(problem("") == .empty)
        #expect(problem("not xml at all") == .malformed)
    }

    @Test func refusesHTMLErrorPages() {
        #expect(problem("<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>") == .documentTypeDeclaration)
        #expect(problem("<html><body><br></body></html>") == .malformed)
    }

    @Test func refusesOtherEncodings() {
        #expect(problem("<?xml version=\"1.0\" encoding=\"windows-1251\"?><r/>") == .wrongEncoding)
        let utf16 = [UInt8]([0xFF, 0xFE]) + Array("<r/>".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        #expect(throws: XMLProblem.self) { try XMLReader().parse(utf16) }
        // Windows-1251 bytes for «Ж» in a document that claims nothing: not UTF-8.
        #expect((try? XMLReader().parse([0x3C, 0x72, 0x3E, 0xC6, 0x3C, 0x2F, 0x72, 0x3E])) == nil)
    }

    @Test func survivesRandomGarbage() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let length = Int.random(in: 0..<300, using: &generator)
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            _ = try? XMLReader().parse(bytes)
        }
        for prefix in ["<r a=\"", "<r><![CDATA[", "<?xml", "<r>&#", "<r><!--"] {
            _ = try? XMLReader().parse(Array(prefix.utf8))
        }
    }
}
