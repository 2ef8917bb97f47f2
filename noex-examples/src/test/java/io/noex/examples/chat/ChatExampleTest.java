package io.noex.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.noex.GenServerRef;
import io.noex.Node;
import io.noex.UnknownMessageException;
import io.noex.distribution.RemoteSpawn;
import io.noex.distribution.SpawnOptions;
import io.noex.examples.ExampleNodes;
import io.noex.testkit.LocalCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(60)
class ChatExampleTest {

    @RegisterExtension
    final LocalCluster cluster = ExampleNodes.start();

    @Test
    void run_membersOnTwoNodesSeeTheSameConversation_andLearnWhenANodeGoesAway() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        ChatExample.Result result = ChatExample.run(cluster.node(0), cluster.node(1), cluster.node(2),
                () -> cluster.stop(2), new PrintStream(printed, true, StandardCharsets.UTF_8));

        ChatRoom.Said hi = new ChatRoom.Said("alice", "hi bob, alice here, on node b");
        ChatRoom.Said hello = new ChatRoom.Said("bob", "hello alice! bob on node c");
        assertThat(result.room().nodeId()).isEqualTo(cluster.nodeId(0));
        assertThat(result.alice()).containsExactly(new ChatRoom.Arrived("alice"), new ChatRoom.Arrived("bob"), hi, hello,
                new ChatRoom.Departed("bob", "noconnection"));
        assertThat(result.bob()).containsExactly(new ChatRoom.Arrived("bob"), hi, hello);
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("[b] alice sees: bob: hello alice! bob on node c", "[b] alice sees: * bob left (noconnection)");
    }

    @Test
    void join_withATakenName_isRefused_andLeaveTellsEveryone() {
        Node a = cluster.node(0);
        Node b = cluster.node(1);
        Node c = cluster.node(2);
        GenServerRef room = RemoteSpawn.spawn(b, ChatRoom.BEHAVIOR, a.nodeId(), SpawnOptions.builder().args("test").build()).ref();
        GenServerRef alice = b.start(new Inbox(e -> { }));
        GenServerRef impostor = c.start(new Inbox(e -> { }));

        assertThat((Object) b.call(room, new ChatRoom.Join("alice", alice))).isEqualTo(new ChatRoom.Welcome(List.of("alice")));
        assertThat((Object) c.call(room, new ChatRoom.Join("alice", impostor))).isEqualTo(new ChatRoom.NameTaken("alice"));
        c.cast(room, new ChatRoom.Say("mallory", "not a member: ignored"));
        b.cast(room, new ChatRoom.Leave("alice"));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(history(b, alice))
                .containsExactly(new ChatRoom.Arrived("alice"), new ChatRoom.Departed("alice", "left")));
        assertThat(history(c, impostor)).isEmpty();
    }

    @Test
    void anUnknownMessage_isRejected_andTheRoomKeepsRunning() {
        Node a = cluster.node(0);
        GenServerRef room = a.start(ChatRoom.behavior());

        assertThatThrownBy(() -> a.call(room, "hello?")).isInstanceOf(UnknownMessageException.class);
        assertThat(a.isRunning(room)).isTrue();
    }

    @Test
    void aMemberWhoseInboxStops_isRemoved() {
        Node a = cluster.node(0);
        Node b = cluster.node(1);
        GenServerRef room = a.start(ChatRoom.behavior());
        GenServerRef alice = a.start(new Inbox(e -> { }));
        GenServerRef bob = b.start(new Inbox(e -> { }));
        a.call(room, new ChatRoom.Join("alice", alice));
        b.call(room, new ChatRoom.Join("bob", bob));

        b.stop(bob);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(history(a, alice))
                .endsWith(new ChatRoom.Departed("bob", "normal")));
    }

    private static List<ChatRoom.Event> history(Node node, GenServerRef inbox) {
        return node.call(inbox, new Inbox.History());
    }
}
