import Foundation
import Testing
@testable import Templating

@Suite("Renderer")
struct RendererTests {
    @Test func variablesWithDottedPaths() throws {
        let context: [String: TemplateValue] = ["clinic": ["name": "Поликлиника № 3", "address": ["street": "ул. Ленина, 5"]]]
        #expect(try render("{{ clinic.name }}, {{ clinic.address.street }}", context) == "Поликлиника № 3, ул. Ленина, 5")
    }

    @Test func numbersBooleansAndNull() throws {
        #expect(try render("{{ a }}|{{ b }}|{{ c }}|{{ d }}", ["a": 42, "b": -7, "c": nil, "d": true]) == "42|-7||true")
    }

    @Test func conditionalsChooseTheFirstTrueArm() throws {
        let template = "{% if n == 0 %}нет{% elif n < 5 %}мало{% else %}много{% endif %}"
        #expect(try render(template, ["n": 0]) == "нет")
        #expect(try render(template, ["n": 3]) == "мало")
        #expect(try render(template, ["n": 9]) == "много")
    }

    @Test func truthinessAndLogic() throws {
        let template = "{% if items and not hidden %}да{% else %}нет{% endif %}"
        #expect(try render(template, ["items": [1], "hidden": false]) == "да")
        #expect(try render(template, ["items": [], "hidden": false]) == "нет")
        #expect(try render(template, ["items": [1], "hidden": true]) == "нет")
        #expect(try render("{% if s %}1{% endif %}{% if z %}2{% endif %}", ["s": "", "z": 0]) == "")
    }

    @Test func loopsExposeTheirPosition() throws {
        let template = "{% for d in days %}{{ loop.number }}/{{ loop.count }}:{{ d }}{% if loop.first %}^{% endif %}{% if loop.last %}${% else %},{% endif %}{% endfor %}"
        #expect(try render(template, ["days": ["пн", "вт", "ср"]]) == "1/3:пн^,2/3:вт,3/3:ср$")
    }

    @Test func emptyBranchRunsForEmptyOrMissingLists() throws {
        let template = "{% for s in slots %}{{ s }}{% empty %}Свободных талонов нет{% endfor %}"
        #expect(try render(template, ["slots": []]) == "Свободных талонов нет")
        #expect(try render(template, ["slots": nil]) == "Свободных талонов нет")
    }

    @Test func nestedLoopsSeeOuterVariables() throws {
        let template = "{% for d in days %}{% for t in d.times %}{{ d.name }}{{ t }}{{ loop.index }} {% endfor %}{% endfor %}"
        let days: TemplateValue = [["name": "пн", "times": ["9", "10"]], ["name": "вт", "times": ["11"]]]
        #expect(try render(template, ["days": days]) == "пн90 пн101 вт110 ")
    }

    @Test func listFields() throws {
        #expect(try render("{{ xs.count }} {{ xs.first }} {{ xs.last }}", ["xs": ["a", "b", "c"]]) == "3 a c")
    }

    @Test func layoutBlocksAreFilledByThePage() throws {
        let layout = "<title>{% block title %}Регистратура{% endblock %}</title><main>{% block content %}{% endblock %}</main>"
        let page = "{% extends \"layout\" %}{% block content %}Привет, {{ name }}{% endblock %}"
        #expect(try render(page, ["name": "Анна"], others: ["layout": layout]) == "<title>Регистратура</title><main>Привет, Анна</main>")
    }

    @Test func layoutsChainThroughSeveralLevels() throws {
        let site = "[{% block header %}H{% endblock %}|{% block content %}{% endblock %}]"
        let section = "{% extends \"site\" %}{% block header %}Кабинет{% endblock %}{% block content %}({% block inner %}{% endblock %}){% endblock %}"
        let page = "{% extends \"section\" %}{% block inner %}{% for x in xs %}{{ x }}{% endfor %}{% endblock %}"
        #expect(try render(page, ["xs": [1, 2]], others: ["site": site, "section": section]) == "[Кабинет|(12)]")
    }

    @Test func includesReceiveTheirParameters() throws {
        let partial = "<a href=\"/slot/{{ slot.id }}\">{{ slot.time }}{% if compact %}*{% endif %}</a>"
        let page = "{% for s in slots %}{% include \"slot\" with slot: s, compact: loop.last %}{% endfor %}"
        let slots: TemplateValue = [["id": 1, "time": "09:00"], ["id": 2, "time": "09:20"]]
        #expect(try render(page, ["slots": slots], others: ["slot": partial]) == "<a href=\"/slot/1\">09:00</a><a href=\"/slot/2\">09:20*</a>")
    }

    @Test func includesStillSeeThePageModel() throws {
        #expect(try render("{% include \"footer\" %}", ["site": ["phone": "122"]], others: ["footer": "тел. {{ site.phone }}"]) == "тел. 122")
    }

    @Test func includesDoNotSeeTheIncludersLoopVariables() {
        let error = templateError("{% for s in xs %}{% include \"p\" %}{% endfor %}", ["xs": [1]], others: ["p": "{{ s }}"])
        #expect(error == TemplateError(template: "p", line: 1, column: 4, message: "unknown variable 's'"))
    }

    @Test func commentsAndWhitespaceControlShapeTheOutput() throws {
        let template = """
            <ul>
              {% for x in xs %}
              <li>{{ x }}</li>
              {% endfor %}
            </ul>
            {# конец #}
            <p>  {{- "a" -}}  </p>
            """
        #expect(try render(template, ["xs": [1, 2]]) == "<ul>\n  <li>1</li>\n  <li>2</li>\n</ul>\n<p>a</p>")
    }

    @Test func lenientModeWritesNothingForUnknownNames() throws {
        #expect(try render("[{{ missing }}{{ a.b }}]", ["a": [:]], strict: false) == "[]")
    }

    @Test func nullPropagatesThroughFieldAccess() throws {
        #expect(try render("{{ patient.name | default(\"гость\") }}", ["patient": nil]) == "гость")
    }
}
