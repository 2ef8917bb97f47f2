package io.noex.testkit;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Small types whose rendering in {@link ApiDumpTest} pins the format of the API files. Public, so
 * that they are API by {@link ApiDump}'s rule; they are test sources and appear in no API file.
 */
public final class ApiDumpFixtures {

    private ApiDumpFixtures() {
    }

    /** A generic abstract class with members of every visibility, a bridge method and varargs. */
    public abstract static class Base<T extends Comparable<T>> implements Comparable<Base<T>> {
        public static final int LIMIT = 3;
        protected String label;
        int hidden;

        public Base() {
        }

        protected Base(String label) throws IOException, IllegalStateException {
            this.label = label;
        }

        Base(int hidden) {
            this.hidden = hidden;
        }

        @SafeVarargs
        public static <E> List<? extends E> list(E... items) {
            return List.of(); // only the signature matters
        }

        public abstract Optional<? super T> lower();

        @Override
        public int compareTo(Base<T> other) {
            return 0;
        }

        @Deprecated
        public void old() {
        }

        void packagePrivate() {
        }
    }

    /** A sealed interface with public and non-public permitted subtypes. */
    public sealed interface Shape permits Shape.Circle, Shape.Square, OpenShape, Blob {
        double area();

        default String describe() {
            return "shape";
        }

        static Shape unit() {
            return new Square(1);
        }

        record Circle(double radius) implements Shape {
            @Override
            public double area() {
                return Math.PI * radius * radius;
            }
        }

        record Square(double side) implements Shape {
            @Override
            public double area() {
                return side * side;
            }
        }
    }

    public abstract static non-sealed class OpenShape implements Shape {
    }

    static final class Blob implements Shape {
        @Override
        public double area() {
            return 0;
        }
    }

    /** An enum whose constants are out of alphabetical order, one with a body. */
    public enum Level {
        LOW,
        HIGH {
            @Override
            public String toString() {
                return "high";
            }
        },
        MEDIUM;

        public static final String UNIT = "u";
    }

    @FunctionalInterface
    public interface Callback<T> {
        void on(T value) throws Exception;
    }

    public @interface Marker {
        String value() default "";
    }
}
