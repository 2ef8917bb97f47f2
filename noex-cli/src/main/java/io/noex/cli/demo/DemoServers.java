package io.noex.cli.demo;

import io.noex.CallResult;
import io.noex.Down;
import io.noex.Exit;
import io.noex.GenServerBehavior;
import io.noex.UnknownMessageException;
import java.util.List;
import java.util.concurrent.BlockingQueue;

/**
 * The GenServers the local demo starts, written the way the library intends: a sealed message
 * interface per server, records for the messages, and a pattern-matching {@code switch}.
 */
final class DemoServers {

    private DemoServers() {
    }

    /** Messages of {@link Counter}. */
    sealed interface CounterMsg {
        /** Cast: add {@code n} to the count. */
        record Add(int n) implements CounterMsg {
        }

        /** Call: reply with the count. */
        record Get() implements CounterMsg {
        }
    }

    /** Holds a number: casts add to it, a call reads it. State: the count. */
    static final class Counter implements GenServerBehavior<Integer> {
        @Override
        public Integer init(List<Object> args) {
            return 0;
        }

        @Override
        public CallResult<Integer> handleCall(Object msg, Integer count) {
            return switch (msg) {
                case CounterMsg.Get get -> CallResult.reply(count, count);
                default -> throw new UnknownMessageException(msg);
            };
        }

        @Override
        public Integer handleCast(Object msg, Integer count) {
            return switch (msg) {
                case CounterMsg.Add add -> count + add.n();
                default -> throw new UnknownMessageException(msg);
            };
        }
    }

    /** Messages of {@link FlakyWorker}. */
    sealed interface WorkerMsg {
        /** Call: do a job; the reply names it and its number. */
        record Work(String job) implements WorkerMsg {
        }

        /** Call: reply with the number of jobs done since the worker (re)started. */
        record JobsDone() implements WorkerMsg {
        }

        /** Cast: fail. The handler throws, which crashes the process (Erlang's rule). */
        record Boom(String why) implements WorkerMsg {
        }
    }

    /** A worker that does jobs and crashes on {@link WorkerMsg.Boom}. State: jobs done. */
    static final class FlakyWorker implements GenServerBehavior<Integer> {
        @Override
        public Integer init(List<Object> args) {
            return 0;
        }

        @Override
        public CallResult<Integer> handleCall(Object msg, Integer done) {
            return switch (msg) {
                case WorkerMsg.Work work -> CallResult.reply("done: " + work.job() + " (job #" + (done + 1) + ")", done + 1);
                case WorkerMsg.JobsDone jobsDone -> CallResult.reply(done, done);
                default -> throw new UnknownMessageException(msg);
            };
        }

        @Override
        public Integer handleCast(Object msg, Integer done) {
            if (msg instanceof WorkerMsg.Boom boom) {
                throw new IllegalStateException("simulated failure: " + boom.why());
            }
            throw new UnknownMessageException(msg);
        }
    }

    /** Call: reply with {@code dividend / divisor}. Dividing by zero crashes the calculator. */
    record Divide(int dividend, int divisor) {
    }

    /** Divides. State: the number of divisions done. */
    static final class Calculator implements GenServerBehavior<Integer> {
        @Override
        public Integer init(List<Object> args) {
            return 0;
        }

        @Override
        public CallResult<Integer> handleCall(Object msg, Integer done) {
            return switch (msg) {
                case Divide d -> CallResult.reply(d.dividend() / d.divisor(), done + 1);
                default -> throw new UnknownMessageException(msg);
            };
        }

        @Override
        public Integer handleCast(Object msg, Integer done) {
            throw new UnknownMessageException(msg);
        }
    }

    /** Call: reply with the number of {@link Down} and {@link Exit} messages a witness saw. */
    record Seen() {
    }

    /**
     * Reports every {@link Down} and {@link Exit} it receives in {@code handleInfo} to a queue the
     * demo reads, so the demo can narrate what the process saw, as it sees it. Started with
     * {@code trapExit(true)}, it is the process that survives a linked crash. State: messages seen.
     */
    static final class Witness implements GenServerBehavior<Integer> {
        private final BlockingQueue<Object> seen;

        Witness(BlockingQueue<Object> seen) {
            this.seen = seen;
        }

        @Override
        public Integer init(List<Object> args) {
            return 0;
        }

        @Override
        public CallResult<Integer> handleCall(Object msg, Integer count) {
            return switch (msg) {
                case Seen s -> CallResult.reply(count, count);
                default -> throw new UnknownMessageException(msg);
            };
        }

        @Override
        public Integer handleCast(Object msg, Integer count) {
            throw new UnknownMessageException(msg);
        }

        @Override
        public Integer handleInfo(Object msg, Integer count) {
            return switch (msg) {
                case Down down -> report(down, count);
                case Exit exit -> report(exit, count);
                default -> count;
            };
        }

        private Integer report(Object signal, Integer count) {
            seen.add(signal);
            return count + 1;
        }
    }
}
