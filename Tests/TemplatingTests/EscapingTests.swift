import Foundation
import Testing
@testable import Templating

@Suite("Escaping")
struct EscapingTests {
    @Test func textIsEscapedByDefault() throws {
        #expect(try render("<p>{{ v }}</p>", ["v": "<script>alert('x')</script> & \"q\""])
            == "<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;</p>")
    }

    @Test func quotesCannotBreakOutOfAttributes() throws {
        #expect(try render("<input value=\"{{ v }}\">", ["v": "\" onfocus=\"alert(1)"]) == "<input value=\"&quot; onfocus=&quot;alert(1)\">")
        #expect(try render("<input value='{{ v }}'>", ["v": "' autofocus onfocus='x"]) == "<input value='&#39; autofocus onfocus=&#39;x'>")
    }

    @Test func closingScriptTagInValueIsNeutralised() throws {
        #expect(try render("<div title=\"{{ v }}\">{{ v }}</div>", ["v": "</script><script>x()</script>"])
            == "<div title=\"&lt;/script&gt;&lt;script&gt;x()&lt;/script&gt;\">&lt;/script&gt;&lt;script&gt;x()&lt;/script&gt;</div>")
    }

    @Test(arguments: [
        "javascript:alert(1)", "JavaScript:alert(1)", " \tjavascript:alert(1)", "java\nscript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=", "vbscript:msgbox(1)",
    ])
    func dangerousURLSchemesAreBlockedInURLAttributes(url: String) throws {
        #expect(try render("<a href=\"{{ u }}\">x</a>", ["u": .string(url)]) == "<a href=\"about:invalid#blocked\">x</a>")
        #expect(try render("<form action='{{ u }}'></form>", ["u": .string(url)]) == "<form action='about:invalid#blocked'></form>")
    }

    @Test(arguments: ["https://example.org/a?b=1&c=2", "/clinics/5", "?page=2", "#main", "tel:+74951234567", "mailto:help@example.org"])
    func ordinaryURLsPass(url: String) throws {
        #expect(try render("<a href=\"{{ u }}\">x</a>", ["u": .string(url)]) == "<a href=\"\(HTMLEscaping.escape(url))\">x</a>")
    }

    @Test func urlCheckAppliesOnlyAtTheStartOfTheValue() throws {
        #expect(try render("<a href=\"/search?q={{ q }}\">x</a>", ["q": "javascript:1"]) == "<a href=\"/search?q=javascript:1\">x</a>")
    }

    @Test func rawOutputIsExplicit() throws {
        #expect(try render("{{ raw html }}|{{ html }}", ["html": "<b>жирный</b>"]) == "<b>жирный</b>|&lt;b&gt;жирный&lt;/b&gt;")
    }

    @Test func outputInsideScriptIsRefusedAtCompileTime() {
        #expect(templateError("<script>var x = {{ v }};</script>")?.message == "values cannot be written inside <script>; pass data through attributes")
        #expect(templateError("<style>{{ v }}</style>")?.message == "values cannot be written inside <style>; pass data through attributes")
    }

    @Test func outputAfterScriptIsAllowedAgain() throws {
        #expect(try render("<script src=\"/a.js\"></script><p>{{ v }}</p>", ["v": "<"]) == "<script src=\"/a.js\"></script><p>&lt;</p>")
    }

    @Test func unquotedAttributesAndTagPositionsAreRefused() {
        #expect(templateError("<input value={{ v }}>")?.message == "put the attribute value in quotes before writing a value into it")
        #expect(templateError("<div {{ attrs }}>")?.message == "a value inside a tag must stand in a quoted attribute value")
    }

    @Test func conditionalAttributesKeepTheContext() throws {
        let template = "<li class=\"slot{% if busy %} slot--busy{% endif %}\" title=\"{{ t }}\">{{ t }}</li>"
        #expect(try render(template, ["busy": true, "t": "9<10"]) == "<li class=\"slot slot--busy\" title=\"9&lt;10\">9&lt;10</li>")
    }
}

/// `.txt` templates: plain text (a message's text part), written as it is — and only they.
@Suite("Plain-text templates")
struct PlainTextTemplateTests {
    @Test func aTextTemplateWritesValuesAsTheyAre() throws {
        let library = try TemplateLibrary(templates: [
            "messages/booked.txt": "Здравствуйте, {{ name }}!\n{% for line in lines %}- {{ line }}\n{% endfor %}",
            "messages/booked": "<p>{{ name }}</p>",
        ])
        let context = TemplateDictionary(["name": "Анна & <Борис>", "lines": .list(["a < b", "\"кавычки\""])])
        #expect(try library.renderString("messages/booked.txt", context) == "Здравствуйте, Анна & <Борис>!\n- a < b\n- \"кавычки\"\n")
        // The HTML template of the same name still escapes.
        #expect(try library.renderString("messages/booked", context) == "<p>Анна &amp; &lt;Борис&gt;</p>")
    }
}
