package io.noex.testkit;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Renders one type's public signatures for {@link ApiDump}, in Java-like syntax.
 *
 * <p>A type is a block: a header line (annotations that are part of the contract, modifiers, kind,
 * name, type parameters, record components, supertypes, and for a sealed type its public permitted
 * subtypes and the number of non-public ones), then one indented line per enum constant (in
 * declaration order), field, constructor and method (each group sorted by member name, then by the
 * whole line). Only public and protected members count; synthetic and bridge members are left out;
 * the members a record or enum gets from the compiler stay, since callers use them. Types are written
 * fully qualified, with their generic arguments and with {@code .} for nesting. Rendering is done
 * here rather than by {@code toGenericString}, whose output changes between JDK releases.
 */
final class ApiSignatures {

    private ApiSignatures() {
    }

    /**
     * @return false for anonymous, local and synthetic types, and when the type or an enclosing one is
     *     neither public nor protected
     */
    static boolean isApi(Class<?> type) {
        if (type.isAnonymousClass() || type.isLocalClass() || type.isSynthetic()) {
            return false;
        }
        for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
            if (!isVisible(c.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    private static boolean isVisible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    /** @return the type's header line, then one indented line per member */
    static List<String> render(Class<?> type) {
        List<String> lines = new ArrayList<>();
        lines.add(header(type));
        if (type.isEnum()) {
            for (Object constant : type.getEnumConstants()) {
                lines.add("  constant " + ((Enum<?>) constant).name());
            }
        }
        lines.addAll(sorted(Arrays.stream(type.getDeclaredFields())
                .filter(f -> isVisible(f.getModifiers()) && !f.isSynthetic() && !f.isEnumConstant())
                .map(f -> new Line(f.getName(), field(f)))));
        lines.addAll(sorted(Arrays.stream(type.getDeclaredConstructors())
                .filter(c -> isVisible(c.getModifiers()) && !c.isSynthetic())
                .map(c -> new Line("", executable(c, type.getSimpleName(), "")))));
        lines.addAll(sorted(Arrays.stream(type.getDeclaredMethods())
                .filter(m -> isVisible(m.getModifiers()) && !m.isSynthetic() && !m.isBridge())
                .map(m -> new Line(m.getName(), executable(m, m.getName(), typeName(m.getGenericReturnType()) + " ")))));
        return lines;
    }

    /** A member's line, sorted by the member's name (as a reader looks it up), then by the whole text. */
    private record Line(String name, String text) {
    }

    private static List<String> sorted(Stream<Line> lines) {
        return lines.sorted(Comparator.comparing(Line::name).thenComparing(Line::text))
                .map(line -> "  " + line.text())
                .toList();
    }

    private static String header(Class<?> type) {
        StringBuilder h = new StringBuilder(annotations(type));
        h.append(visibility(type.getModifiers()));
        String kind = kind(type);
        boolean plainClass = kind.equals("class");
        if (plainClass && Modifier.isAbstract(type.getModifiers())) {
            h.append("abstract ");
        }
        if (plainClass && type.isMemberClass() && Modifier.isStatic(type.getModifiers())) {
            h.append("static ");
        }
        if (plainClass && Modifier.isFinal(type.getModifiers())) {
            h.append("final ");
        }
        // An enum whose constants have bodies is implicitly sealed (JLS 8.9); that says nothing to callers.
        boolean sealed = type.isSealed() && !type.isEnum();
        if (sealed) {
            h.append("sealed ");
        } else if (isNonSealed(type)) {
            h.append("non-sealed ");
        }
        h.append(kind).append(' ').append(name(type)).append(typeParameters(type.getTypeParameters()));
        if (type.isRecord()) {
            h.append(Arrays.stream(type.getRecordComponents())
                    .map(c -> typeName(c.getGenericType()) + " " + c.getName())
                    .collect(Collectors.joining(", ", "(", ")")));
        }
        Type superclass = type.getGenericSuperclass();
        if (superclass != null && !Set.of(Object.class, Record.class, Enum.class).contains(raw(superclass))) {
            h.append(" extends ").append(typeName(superclass));
        }
        List<String> interfaces = Arrays.stream(type.getGenericInterfaces())
                .filter(i -> !(type.isAnnotation() && i == java.lang.annotation.Annotation.class))
                .map(ApiSignatures::typeName)
                .toList();
        if (!interfaces.isEmpty()) {
            h.append(type.isInterface() ? " extends " : " implements ").append(String.join(", ", interfaces));
        }
        if (sealed) {
            List<Class<?>> permitted = Arrays.asList(type.getPermittedSubclasses());
            List<String> visible = permitted.stream()
                    .filter(ApiSignatures::isApi).map(ApiSignatures::name).sorted().toList();
            long hidden = permitted.size() - visible.size();
            h.append(" permits ").append(String.join(", ", visible));
            if (hidden > 0) {
                h.append(visible.isEmpty() ? "" : " ").append("(+").append(hidden).append(" non-public)");
            }
        }
        return h.toString();
    }

    private static boolean isNonSealed(Class<?> type) {
        if (type.isSealed() || type.isEnum() || type.isRecord() || Modifier.isFinal(type.getModifiers())) {
            return false;
        }
        Class<?> superclass = type.getSuperclass();
        return (superclass != null && superclass.isSealed())
                || Arrays.stream(type.getInterfaces()).anyMatch(Class::isSealed);
    }

    private static String kind(Class<?> type) {
        if (type.isAnnotation()) {
            return "@interface";
        }
        if (type.isInterface()) {
            return "interface";
        }
        if (type.isEnum()) {
            return "enum";
        }
        return type.isRecord() ? "record" : "class";
    }

    private static String field(Field f) {
        int m = f.getModifiers();
        return annotations(f) + visibility(m) + (Modifier.isStatic(m) ? "static " : "")
                + (Modifier.isFinal(m) ? "final " : "") + typeName(f.getGenericType()) + " " + f.getName();
    }

    private static String executable(Executable e, String name, String returnType) {
        int m = e.getModifiers();
        StringBuilder s = new StringBuilder(annotations(e)).append(visibility(m));
        if (e instanceof Method method && method.isDefault()) {
            s.append("default ");
        }
        if (Modifier.isAbstract(m)) {
            s.append("abstract ");
        }
        if (Modifier.isStatic(m)) {
            s.append("static ");
        }
        if (Modifier.isFinal(m)) {
            s.append("final ");
        }
        String typeParameters = typeParameters(e.getTypeParameters());
        s.append(typeParameters).append(typeParameters.isEmpty() ? "" : " ").append(returnType).append(name);
        List<String> parameters = new ArrayList<>(
                Arrays.stream(e.getGenericParameterTypes()).map(ApiSignatures::typeName).toList());
        if (e.isVarArgs()) {
            String last = parameters.remove(parameters.size() - 1);
            parameters.add(last.substring(0, last.length() - 2) + "...");
        }
        s.append('(').append(String.join(", ", parameters)).append(')');
        List<String> thrown = Arrays.stream(e.getGenericExceptionTypes()).map(ApiSignatures::typeName).sorted().toList();
        if (!thrown.isEmpty()) {
            s.append(" throws ").append(String.join(", ", thrown));
        }
        return s.toString();
    }

    private static String annotations(AnnotatedElement element) {
        StringBuilder s = new StringBuilder();
        Deprecated deprecated = element.getAnnotation(Deprecated.class);
        if (deprecated != null) {
            s.append(deprecated.forRemoval() ? "@Deprecated(forRemoval = true) " : "@Deprecated ");
        }
        if (element.isAnnotationPresent(FunctionalInterface.class)) {
            s.append("@FunctionalInterface ");
        }
        return s.toString();
    }

    private static String visibility(int modifiers) {
        return Modifier.isPublic(modifiers) ? "public " : Modifier.isProtected(modifiers) ? "protected " : "";
    }

    private static String typeParameters(TypeVariable<?>[] variables) {
        if (variables.length == 0) {
            return "";
        }
        return Arrays.stream(variables).map(v -> {
            List<String> bounds = Arrays.stream(v.getBounds())
                    .filter(b -> b != Object.class).map(ApiSignatures::typeName).toList();
            return bounds.isEmpty() ? v.getName() : v.getName() + " extends " + String.join(" & ", bounds);
        }).collect(Collectors.joining(", ", "<", ">"));
    }

    /** A type as written in source, fully qualified, with {@code .} between nested names. */
    static String typeName(Type type) {
        if (type instanceof Class<?> c) {
            return c.isArray() ? typeName(c.getComponentType()) + "[]" : name(c);
        }
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            String base = p.getOwnerType() instanceof ParameterizedType owner
                    ? typeName(owner) + "." + raw.getSimpleName()
                    : name(raw);
            return base + Arrays.stream(p.getActualTypeArguments()).map(ApiSignatures::typeName)
                    .collect(Collectors.joining(", ", "<", ">"));
        }
        if (type instanceof WildcardType w) {
            if (w.getLowerBounds().length > 0) {
                return "? super " + typeName(w.getLowerBounds()[0]);
            }
            Type upper = w.getUpperBounds()[0];
            return upper == Object.class ? "?" : "? extends " + typeName(upper);
        }
        if (type instanceof GenericArrayType a) {
            return typeName(a.getGenericComponentType()) + "[]";
        }
        if (type instanceof TypeVariable<?> v) {
            return v.getName();
        }
        throw new IllegalArgumentException("unknown kind of type: " + type);
    }

    private static String name(Class<?> c) {
        return c.getEnclosingClass() == null ? c.getName() : name(c.getEnclosingClass()) + "." + c.getSimpleName();
    }

    private static Class<?> raw(Type type) {
        return type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
    }
}
