import Hummingbird
import KioskChannel
import OperatorChannel
import PatientChannel
import StaffChannel
import Testing
import Web

/// Routes register from the same enums that make links: the patterns as the router reads them
/// (`{name}` is how the router writes a parameter).
@Suite("Channel routes")
struct ChannelRouteTests {
    @Test func patternsAreThePathsWithTheirValuesAsParameters() {
        #expect(SiteRoute.home.pattern.description == "/")
        #expect(SiteRoute.cabinet(cancelled: "ab12").pattern.description == "/cabinet")
        #expect(SiteRoute.ticketMoveCheck(.parameter("ticket"), doctor: "d", slot: "s").pattern.description == "/tickets/{ticket}/move/check")
        #expect(SiteRoute.day(clinic: .parameter("clinic"), doctor: .parameter("doctor"), day: .parameter("day")).pattern.description
            == "/clinics/{clinic}/doctors/{doctor}/days/{day}")
        // Relative to the channel's group, which is mounted at the prefix.
        #expect(KioskRoute.home.pattern.description == "/")
        #expect(KioskRoute.receipt(clinic: .parameter("clinic"), appointment: .parameter("appointment"), printing: true).pattern.description == "/appointments/{clinic}/{appointment}")
        #expect(StaffRoute.accountReset(.parameter("account")).pattern.description == "/accounts/{account}/reset")
    }

    @Test func aRealValueIsNeverTakenForAParameter() {
        // A value from outside that looks like a parameter or holds the mark stays a value in the link.
        #expect(SiteRoute.ticket(":ticket").path == "/tickets/%3Aticket")
        #expect(SiteRoute.ticket("\u{1}ticket").path == "/tickets/%01ticket")
        #expect(KioskRoute.clinic("\u{1}x").path == "/kiosk/book/clinics/%01x")
    }
}
