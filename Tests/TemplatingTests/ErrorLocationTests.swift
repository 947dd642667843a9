import Foundation
import Testing
@testable import Templating

@Suite("Error locations")
struct ErrorLocationTests {
    @Test func compileErrorsNameFileLineAndColumn() {
        let source = "<p>\n  Врач: {{ doctor.name }\n</p>"
        #expect(templateError(source) == TemplateError(template: "main", line: 2, column: 24, message: "unexpected character '}' in tag"))
    }

    @Test func columnsCountCharactersNotBytes() {
        #expect(templateError("Талон: {% foo %}") == TemplateError(template: "main", line: 1, column: 8, message: "unknown statement 'foo'"))
    }

    @Test func unclosedBlockPointsAtItsOpening() {
        let source = "a\nb\n  {% for x in xs %}\n{{ x }}\n"
        #expect(templateError(source) == TemplateError(template: "main", line: 3, column: 3, message: "{% for %} is never closed with {% endfor %}"))
    }

    @Test func unknownVariableIsARenderErrorWithLocation() {
        #expect(templateError("<h1>\n  {{ patient.nmae }}</h1>", ["patient": ["name": "А"]])
            == TemplateError(template: "main", line: 2, column: 6, message: "unknown field 'nmae'"))
        #expect(templateError("{% if shwo %}x{% endif %}") == TemplateError(template: "main", line: 1, column: 7, message: "unknown variable 'shwo'"))
    }

    @Test func errorsInsideLayoutsAndPartialsNameThatFile() {
        let error = templateError("{% extends \"layout\" %}{% block a %}ok{% endblock %}", others: ["layout": "{% block a %}{% endblock %}\n{{ nope }}"])
        #expect(error == TemplateError(template: "layout", line: 2, column: 4, message: "unknown variable 'nope'"))
    }

    @Test func missingTemplatesAndBadLinks() {
        #expect(templateError("{% include \"nowhere\" %}")?.message == "there is no template named 'nowhere'")
        #expect(templateError("{% extends \"l\" %}{% block typo %}{% endblock %}", others: ["l": "{% block body %}{% endblock %}"])?.message
            == "layout 'l' has no block named 'typo'")
        #expect(templateError("x", others: ["a": "{% include \"b\" %}", "b": "{% include \"a\" %}"])?.message.contains("includes itself") == true)
        #expect(templateError("x", others: ["a": "{% extends \"b\" %}", "b": "{% extends \"a\" %}"])?.message == "layouts extend each other in a circle")
    }

    @Test func writingAListIsAnError() {
        #expect(templateError("{{ xs }}", ["xs": [1]])?.message == "cannot write a list; write one of its fields or loop over it")
    }

    @Test func descriptionReadsLikeACompilerMessage() {
        let error = TemplateError(template: "pages/home", line: 3, column: 7, message: "unknown variable 'x'")
        #expect(error.description == "pages/home.html:3:7: unknown variable 'x'")
    }
}
