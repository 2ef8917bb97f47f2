package io.noex.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoScriptTest {

    private final StringWriter text = new StringWriter();
    private final Narrator narrator = new Narrator(new PrintWriter(text), System.nanoTime());

    @Test
    void play_whenAnActFails_reportsItAndPlaysTheRest() {
        List<String> played = new java.util.ArrayList<>();
        DemoScript script = new DemoScript(List.of(
                new Act("a", "first", n -> played.add("a")),
                new Act("b", "second", n -> DemoFailure.expect(false, "counter should read 7, read 5")),
                new Act("c", "third", n -> played.add("c"))));

        List<ActResult> results = script.play(narrator);

        assertThat(played).containsExactly("a", "c");
        assertThat(results).extracting(ActResult::succeeded).containsExactly(true, false, true);
        assertThat(results.get(1).failure()).contains("counter should read 7, read 5");
        assertThat(text.toString()).contains("(b) second ---", "FAILED: counter should read 7, read 5");
    }

    @Test
    void chained_whenAnActFails_skipsTheRest_andTheSummarySaysSo() {
        List<String> played = new java.util.ArrayList<>();
        DemoScript script = DemoScript.chained(List.of(
                new Act("1", "first", n -> played.add("1")),
                new Act("2", "second", n -> DemoFailure.expect(false, "no mesh")),
                new Act("3", "third", n -> played.add("3"))));

        List<ActResult> results = script.play(narrator);
        DemoScript.summarize(results, Duration.ofMillis(20), narrator);

        assertThat(played).containsExactly("1");
        assertThat(results).extracting(ActResult::played).containsExactly(true, true, false);
        assertThat(results.get(2).failure()).contains("not played: it builds on act (2), which failed");
        assertThat(new DemoResult(results, Duration.ZERO).firstFailure()).map(ActResult::key).contains("2");
        assertThat(text.toString()).containsPattern("\\(3\\) +third +skipped +-").contains("1 of 3 acts FAILED, 1 skipped");
    }

    @Test
    void play_whenAnActThrowsSomethingElse_namesTheException() {
        DemoScript script = new DemoScript(List.of(new Act("a", "boom", n -> {
            throw new IllegalStateException("no such thing");
        })));

        List<ActResult> results = script.play(narrator);

        assertThat(results.get(0).failure()).contains("unexpected java.lang.IllegalStateException: no such thing");
    }

    @Test
    void summarize_listsEveryActWithItsResult() {
        List<ActResult> results = List.of(
                new ActResult("a", "first", java.util.Optional.empty(), Duration.ofMillis(12)),
                new ActResult("b", "second", java.util.Optional.of("broke"), Duration.ofMillis(3)));

        DemoScript.summarize(results, Duration.ofMillis(20), narrator);

        assertThat(text.toString())
                .containsPattern("\\(a\\) +first +ok +12\\.0 ms")
                .containsPattern("\\(b\\) +second +FAILED +3\\.0 ms")
                .contains("1 of 2 acts FAILED");
    }
}
