package io.berth.cli.member;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.cli.UserError;
import io.etcd.jetcd.api.Member;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MemberSelectionTest {
  private static final Member N1 = Member.newBuilder().setID(0x1aL).setName("n1").build();
  private static final Member N2 = Member.newBuilder().setID(0xb2L).setName("n2").build();
  private static final Member UNSTARTED = Member.newBuilder().setID(0xc3L).addPeerURLs("http://127.0.0.1:7004").build();
  private static final List<Member> MEMBERS = List.of(N1, N2, UNSTARTED);

  @Test
  void aMemberIsFoundByNameOrByHexIdAndAnUnstartedOneByItsLocalName() {
    assertThat(MemberSelection.find(MEMBERS, "n2", Map.of())).isEqualTo(N2);
    assertThat(MemberSelection.find(MEMBERS, "1a", Map.of())).isEqualTo(N1);
    assertThat(MemberSelection.find(MEMBERS, "C3", Map.of())).isEqualTo(UNSTARTED);
    assertThat(MemberSelection.find(MEMBERS, "server-4", Map.of("server-4", "127.0.0.1:7004"))).isEqualTo(UNSTARTED);
  }

  @Test
  void anUnknownMemberIsAnErrorListingTheMembers() {
    assertThatThrownBy(() -> MemberSelection.find(MEMBERS, "n9", Map.of()))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("no member named or with ID 'n9'")
        .hasMessageContaining("n1 (1a), n2 (b2), unstarted member (c3)");
  }

  @Test
  void theLastMemberIsNeverRemoved() {
    assertThatThrownBy(() -> MemberSelection.checkRemovable(List.of(N1), N1))
        .isInstanceOf(UserError.class).hasMessageContaining("it is the last member");
    MemberSelection.checkRemovable(List.of(N1, N2), N1);
  }

  @Test
  void aNewNameMustBeUniqueAndFitInPeers() {
    MemberSelection.checkNewName("server-4", MEMBERS);
    assertThatThrownBy(() -> MemberSelection.checkNewName("n1", MEMBERS)).hasMessageContaining("already a member named n1");
    assertThatThrownBy(() -> MemberSelection.checkNewName("a=b", MEMBERS)).hasMessageContaining("NAME 'a=b'");
    assertThatThrownBy(() -> MemberSelection.checkNewName("a,b", MEMBERS)).hasMessageContaining("NAME 'a,b'");
  }

  @Test
  void peerUrlsTakeOneHostAndPort() {
    assertThat(MemberAdd.peerAddress("http://10.0.0.4:2380")).isEqualTo("10.0.0.4:2380");
    assertThat(MemberAdd.peerAddress("10.0.0.4:2380")).isEqualTo("10.0.0.4:2380");
    assertThatThrownBy(() -> MemberAdd.peerAddress("http://a:1,http://b:2")).hasMessageContaining("--peer-urls takes one URL");
    assertThatThrownBy(() -> MemberAdd.peerAddress("unix://x:1")).hasMessageContaining("--peer-urls must be http://");
    assertThatThrownBy(() -> MemberAdd.peerAddress("http://10.0.0.4")).hasMessageContaining("--peer-urls must be HOST:PORT");
  }

  @Test
  void aTableIsRuledAndPadded() {
    Table table = new Table("ID", "NAME");
    table.row("1a", "server-1");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    table.print(new PrintStream(bytes, true));
    assertThat(bytes.toString().lines()).containsExactly(
        "+----+----------+",
        "| ID |   NAME   |",
        "+----+----------+",
        "| 1a | server-1 |",
        "+----+----------+");
  }
}
