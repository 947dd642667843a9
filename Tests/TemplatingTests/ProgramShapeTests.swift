import Testing
@testable import Templating

/// Behaviour that depends on how templates are laid out as flat programs: jumps next to text,
/// blocks placed inside loops, loop slots that change kind between items.
@Suite("Compiled program shape")
struct ProgramShapeTests {
    @Test func textAfterAConditionalIsNotSwallowedByIt() throws {
        #expect(try render("{% if a %}X{% endif %}Y", ["a": false]) == "Y")
        #expect(try render("{% if a %}X{% endif %}Y", ["a": true]) == "XY")
        #expect(try render("A{% if a %}X{% else %}Z{% endif %}Y", ["a": false]) == "AZY")
    }

    @Test func textAfterALoopAndItsEmptyBranch() throws {
        #expect(try render("[{% for x in xs %}{{ x }}{% empty %}-{% endfor %}]", ["xs": [1, 2]]) == "[12]")
        #expect(try render("[{% for x in xs %}{{ x }}{% empty %}-{% endfor %}]", ["xs": []]) == "[-]")
    }

    @Test func nestedLoopsRestartInnerPositions() throws {
        let template = "{% for a in xs %}{% for b in ys %}{{ loop.index }}{% endfor %}|{% endfor %}"
        #expect(try render(template, ["xs": [1, 2], "ys": ["p", "q", "r"]]) == "012|012|")
    }

    @Test func aBlockInsideALayoutLoopSeesTheLoopVariable() throws {
        let layout = "{% for d in days %}[{% block day %}{{ d }}{% endblock %}]{% endfor %}"
        #expect(try render("{% extends \"layout\" %}", ["days": ["пн", "вт"]], others: ["layout": layout]) == "[пн][вт]")
        let page = "{% extends \"layout\" %}{% block day %}день{% endblock %}"
        #expect(try render(page, ["days": ["пн", "вт"]], others: ["layout": layout]) == "[день][день]")
    }

    @Test func loopSlotsSwitchBetweenObjectsAndOtherValues() throws {
        let items: TemplateValue = [["n": 1], nil, ["n": 3], "текст"]
        #expect(try render("{% for x in xs %}{% if x.n %}{{ x.n }}{% endif %};{% endfor %}", ["xs": items], strict: false) == "1;;3;;")
        #expect(try render("{% for x in xs %}{{ x }}{% endfor %}", ["xs": ["a", 1, nil]]) == "a1")
    }

    @Test func anObjectLoopVariableCanBePassedWhole() throws {
        let partial = "{{ day.name }}:{{ day.slots.count }}"
        let page = "{% for d in days %}{% include \"day\" with day: d %} {% endfor %}"
        let days: TemplateValue = [["name": "пн", "slots": [1, 2]], ["name": "вт", "slots": []]]
        #expect(try render(page, ["days": days], others: ["day": partial]) == "пн:2 вт:0 ")
    }

    @Test func writingAnObjectLoopVariableIsAnError() {
        #expect(templateError("{% for x in xs %}{{ x }}{% endfor %}", ["xs": [["a": 1]]])?.message
            == "cannot write an object; write one of its fields or loop over it")
    }

    @Test func pageLevelValuesAreReadOncePerRender() throws {
        final class Counter: @unchecked Sendable { var reads = 0 }
        struct Model: TemplateObject {
            let counter: Counter
            func templateValue(forKey key: String) -> TemplateValue? {
                guard key == "name" else { return nil }
                counter.reads += 1
                return "Анна"
            }
        }
        let counter = Counter()
        let library = try TemplateLibrary(templates: ["t": "{{ name }} {{ name }} {% for x in xs %}{{ name }}{% endfor %}"], options: TemplateOptions(strict: false))
        #expect(try library.renderString("t", Model(counter: counter)) == "Анна Анна ")
        #expect(counter.reads == 1)
    }
}
