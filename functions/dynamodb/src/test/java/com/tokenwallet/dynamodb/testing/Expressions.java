package com.tokenwallet.dynamodb.testing;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * DynamoDB's expression language (developer guide, "Condition and filter expressions", "Update expressions",
 * "Projection expressions", "Key condition expressions"): a tokenizer, a recursive-descent parser into a small syntax
 * tree, and its evaluation on an item. Placeholders ({@code #name}, {@code :value}) are resolved while parsing, and
 * the request's {@link Scope} checks afterwards, as DynamoDB does, that every placeholder supplied was used.
 */
final class Expressions {
    private static final Set<String> RESERVED = reservedWords();
    private static final Set<String> CONDITION_FUNCTIONS = Set.of("attribute_exists", "attribute_not_exists", "attribute_type",
            "begins_with", "contains");

    private Expressions() {
    }

    // ---- syntax tree

    /** A document path: names (String) and list indexes (Integer). */
    record Path(List<Object> elements) {
        String top() {
            return (String) elements.getFirst();
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            for (Object e : elements) {
                if (e instanceof Integer i) {
                    sb.append('[').append(i).append(']');
                } else {
                    sb.append(sb.isEmpty() ? "" : ".").append(e);
                }
            }
            return sb.toString();
        }
    }

    sealed interface Operand permits PathOperand, ValueOperand, SizeOperand, IfNotExists, ListAppend, Arithmetic {
    }

    record PathOperand(Path path) implements Operand {
    }

    record ValueOperand(String placeholder, AttributeValue value) implements Operand {
    }

    record SizeOperand(Path path) implements Operand {
    }

    record IfNotExists(Path path, Operand otherwise) implements Operand {
    }

    record ListAppend(Operand first, Operand second) implements Operand {
    }

    record Arithmetic(Operand left, char operator, Operand right) implements Operand {
    }

    sealed interface Condition permits Comparison, Between, In, Function, And, Or, Not {
    }

    record Comparison(String comparator, Operand left, Operand right) implements Condition {
    }

    record Between(Operand operand, Operand low, Operand high) implements Condition {
    }

    record In(Operand operand, List<Operand> candidates) implements Condition {
    }

    record Function(String name, List<Operand> arguments) implements Condition {
    }

    record And(Condition left, Condition right) implements Condition {
    }

    record Or(Condition left, Condition right) implements Condition {
    }

    record Not(Condition condition) implements Condition {
    }

    sealed interface UpdateAction permits SetAction, RemoveAction, AddAction, DeleteAction {
        Path path();
    }

    record SetAction(Path path, Operand value) implements UpdateAction {
    }

    record RemoveAction(Path path) implements UpdateAction {
    }

    record AddAction(Path path, AttributeValue value) implements UpdateAction {
    }

    record DeleteAction(Path path, AttributeValue value) implements UpdateAction {
    }

    // ---- the placeholders of one request

    /** The ExpressionAttributeNames and -Values of one request, and which of them its expressions used. */
    static final class Scope {
        private final Map<String, String> names;
        private final Map<String, AttributeValue> values;
        private final Set<String> usedNames = new LinkedHashSet<>();
        private final Set<String> usedValues = new LinkedHashSet<>();

        Scope(Map<String, String> names, Map<String, AttributeValue> values) {
            this.names = names;
            this.values = values;
        }

        static Scope of(Map<String, Object> request) {
            Map<String, String> names = new HashMap<>();
            if (request.containsKey("ExpressionAttributeNames")) {
                Map<String, Object> raw = Json.object(request, "ExpressionAttributeNames");
                if (raw.isEmpty()) {
                    throw DynamoDbError.validation("ExpressionAttributeNames must not be empty");
                }
                raw.forEach((k, v) -> names.put(k, (String) v));
            }
            Map<String, AttributeValue> values = new HashMap<>();
            if (request.containsKey("ExpressionAttributeValues")) {
                Map<String, Object> raw = Json.object(request, "ExpressionAttributeValues");
                if (raw.isEmpty()) {
                    throw DynamoDbError.validation("ExpressionAttributeValues must not be empty");
                }
                raw.forEach((k, v) -> values.put(k, Values.value(v, "ExpressionAttributeValues." + k)));
            }
            return new Scope(names, values);
        }

        String name(String placeholder, String expression) {
            String name = names.get(placeholder);
            if (name == null) {
                throw DynamoDbError.validation("Invalid " + expression + ": An expression attribute name used in the document path is "
                        + "not defined; attribute name: " + placeholder);
            }
            usedNames.add(placeholder);
            return name;
        }

        AttributeValue value(String placeholder, String expression) {
            AttributeValue value = values.get(placeholder);
            if (value == null) {
                throw DynamoDbError.validation("Invalid " + expression + ": An expression attribute value used in expression is not "
                        + "defined; attribute value: " + placeholder);
            }
            usedValues.add(placeholder);
            return value;
        }

        /** DynamoDB refuses a request that supplies a placeholder none of its expressions uses. */
        void requireAllUsed() {
            Set<String> unusedNames = new TreeSet<>(names.keySet());
            unusedNames.removeAll(usedNames);
            if (!unusedNames.isEmpty()) {
                throw DynamoDbError.validation("Value provided in ExpressionAttributeNames unused in expressions: keys: {"
                        + String.join(", ", unusedNames) + "}");
            }
            Set<String> unusedValues = new TreeSet<>(values.keySet());
            unusedValues.removeAll(usedValues);
            if (!unusedValues.isEmpty()) {
                throw DynamoDbError.validation("Value provided in ExpressionAttributeValues unused in expressions: keys: {"
                        + String.join(", ", unusedValues) + "}");
            }
        }
    }

    // ---- parsing

    static Condition condition(String text, String expression, Scope scope) {
        Parser p = new Parser(text, expression, scope);
        Condition c = p.or();
        p.expectEnd();
        return c;
    }

    static List<UpdateAction> update(String text, Scope scope) {
        Parser p = new Parser(text, "UpdateExpression", scope);
        List<UpdateAction> actions = p.updateClauses();
        p.expectEnd();
        requireNoOverlap(actions.stream().map(UpdateAction::path).toList());
        return actions;
    }

    static List<Path> projection(String text, Scope scope) {
        Parser p = new Parser(text, "ProjectionExpression", scope);
        List<Path> paths = new ArrayList<>();
        do {
            paths.add(p.path());
        } while (p.accept(Kind.COMMA));
        p.expectEnd();
        requireNoOverlap(paths);
        return paths;
    }

    private static void requireNoOverlap(List<Path> paths) {
        for (int i = 0; i < paths.size(); i++) {
            for (int j = i + 1; j < paths.size(); j++) {
                List<Object> a = paths.get(i).elements();
                List<Object> b = paths.get(j).elements();
                int n = Math.min(a.size(), b.size());
                if (a.subList(0, n).equals(b.subList(0, n))) {
                    throw DynamoDbError.validation("Invalid expression: Two document paths overlap with each other; must remove or "
                            + "rewrite one of these paths; path one: [" + paths.get(i) + "], path two: [" + paths.get(j) + "]");
                }
            }
        }
    }

    private enum Kind { WORD, NAME, VALUE, NUMBER, LPAREN, RPAREN, LBRACKET, RBRACKET, COMMA, DOT, COMPARATOR, PLUS, MINUS, END }

    private record Token(Kind kind, String text) {
    }

    private static final class Parser {
        private final List<Token> tokens;
        private final String expression;
        private final Scope scope;
        private int at;

        Parser(String text, String expression, Scope scope) {
            this.expression = expression;
            this.scope = scope;
            if (text == null || text.isBlank()) {
                throw DynamoDbError.validation("Invalid " + expression + ": The expression can not be empty;");
            }
            this.tokens = tokenize(text);
        }

        private List<Token> tokenize(String text) {
            List<Token> out = new ArrayList<>();
            int i = 0;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (c == '#' || c == ':' || Character.isLetter(c) || c == '_') {
                    int start = i++;
                    while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) {
                        i++;
                    }
                    String word = text.substring(start, i);
                    if ((c == '#' || c == ':') && word.length() == 1) {
                        throw syntax(word);
                    }
                    out.add(new Token(c == '#' ? Kind.NAME : c == ':' ? Kind.VALUE : Kind.WORD, word));
                } else if (Character.isDigit(c)) {
                    int start = i;
                    while (i < text.length() && Character.isDigit(text.charAt(i))) {
                        i++;
                    }
                    out.add(new Token(Kind.NUMBER, text.substring(start, i)));
                } else if (c == '<' || c == '>' || c == '=') {
                    String two = i + 1 < text.length() ? text.substring(i, i + 2) : "";
                    if (two.equals("<=") || two.equals(">=") || two.equals("<>")) {
                        out.add(new Token(Kind.COMPARATOR, two));
                        i += 2;
                    } else {
                        out.add(new Token(Kind.COMPARATOR, String.valueOf(c)));
                        i++;
                    }
                } else {
                    Kind kind = switch (c) {
                        case '(' -> Kind.LPAREN;
                        case ')' -> Kind.RPAREN;
                        case '[' -> Kind.LBRACKET;
                        case ']' -> Kind.RBRACKET;
                        case ',' -> Kind.COMMA;
                        case '.' -> Kind.DOT;
                        case '+' -> Kind.PLUS;
                        case '-' -> Kind.MINUS;
                        default -> throw DynamoDbError.validation("Invalid " + expression + ": Invalid token: \"" + c + "\" near char "
                                + i);
                    };
                    out.add(new Token(kind, String.valueOf(c)));
                    i++;
                }
            }
            out.add(new Token(Kind.END, "<EOF>"));
            return out;
        }

        private Token peek() {
            return tokens.get(at);
        }

        private Token peek(int ahead) {
            return tokens.get(Math.min(at + ahead, tokens.size() - 1));
        }

        private boolean accept(Kind kind) {
            if (peek().kind() == kind) {
                at++;
                return true;
            }
            return false;
        }

        private boolean acceptKeyword(String keyword) {
            if (isKeyword(peek(), keyword)) {
                at++;
                return true;
            }
            return false;
        }

        private static boolean isKeyword(Token t, String keyword) {
            return t.kind() == Kind.WORD && t.text().equalsIgnoreCase(keyword);
        }

        private Token expect(Kind kind) {
            if (peek().kind() != kind) {
                throw syntax(peek().text());
            }
            return tokens.get(at++);
        }

        void expectEnd() {
            if (peek().kind() != Kind.END) {
                throw syntax(peek().text());
            }
        }

        private DynamoDbError syntax(String token) {
            return DynamoDbError.validation("Invalid " + expression + ": Syntax error; token: \"" + token + "\"");
        }

        // condition := or
        Condition or() {
            Condition left = and();
            while (acceptKeyword("OR")) {
                left = new Or(left, and());
            }
            return left;
        }

        private Condition and() {
            Condition left = not();
            while (acceptKeyword("AND")) {
                left = new And(left, not());
            }
            return left;
        }

        private Condition not() {
            if (acceptKeyword("NOT")) {
                return new Not(not());
            }
            return primary();
        }

        private Condition primary() {
            if (accept(Kind.LPAREN)) {
                Condition inner = or();
                expect(Kind.RPAREN);
                return inner;
            }
            Token t = peek();
            if (t.kind() == Kind.WORD && peek(1).kind() == Kind.LPAREN && CONDITION_FUNCTIONS.contains(t.text())) {
                at += 2;
                List<Operand> args = new ArrayList<>();
                do {
                    args.add(operand());
                } while (accept(Kind.COMMA));
                expect(Kind.RPAREN);
                int wanted = t.text().startsWith("attribute_") && !t.text().equals("attribute_type") ? 1 : 2;
                if (args.size() != wanted) {
                    throw DynamoDbError.validation("Invalid " + expression + ": Incorrect number of operands for operator or function; "
                            + "operator or function: " + t.text() + ", number of operands: " + args.size());
                }
                if (!(args.getFirst() instanceof PathOperand)) {
                    throw DynamoDbError.validation("Invalid " + expression + ": Operator or function requires a document path; "
                            + "operator or function: " + t.text());
                }
                return new Function(t.text(), args);
            }
            Operand left = operand();
            if (peek().kind() == Kind.COMPARATOR) {
                String comparator = tokens.get(at++).text();
                return new Comparison(comparator, left, operand());
            }
            if (acceptKeyword("BETWEEN")) {
                Operand low = operand();
                if (!acceptKeyword("AND")) {
                    throw syntax(peek().text());
                }
                return new Between(left, low, operand());
            }
            if (acceptKeyword("IN")) {
                expect(Kind.LPAREN);
                List<Operand> candidates = new ArrayList<>();
                do {
                    candidates.add(operand());
                } while (accept(Kind.COMMA));
                expect(Kind.RPAREN);
                return new In(left, candidates);
            }
            throw syntax(peek().text());
        }

        /** A path, a :value, or size(path). */
        private Operand operand() {
            Token t = peek();
            if (t.kind() == Kind.VALUE) {
                at++;
                return new ValueOperand(t.text(), scope.value(t.text(), expression));
            }
            if (t.kind() == Kind.WORD && t.text().equals("size") && peek(1).kind() == Kind.LPAREN) {
                at += 2;
                Path path = path();
                expect(Kind.RPAREN);
                return new SizeOperand(path);
            }
            return new PathOperand(path());
        }

        Path path() {
            List<Object> elements = new ArrayList<>();
            elements.add(pathName());
            while (true) {
                if (accept(Kind.DOT)) {
                    elements.add(pathName());
                } else if (accept(Kind.LBRACKET)) {
                    elements.add(Integer.parseInt(expect(Kind.NUMBER).text()));
                    expect(Kind.RBRACKET);
                } else {
                    return new Path(elements);
                }
            }
        }

        private String pathName() {
            Token t = peek();
            if (t.kind() == Kind.NAME) {
                at++;
                return scope.name(t.text(), expression);
            }
            if (t.kind() == Kind.WORD) {
                if (RESERVED.contains(t.text().toUpperCase(Locale.ROOT))) {
                    throw DynamoDbError.validation("Invalid " + expression + ": Attribute name is a reserved keyword; reserved keyword: "
                            + t.text());
                }
                at++;
                return t.text();
            }
            throw syntax(t.text());
        }

        // update := (SET a, b | REMOVE p, q | ADD p :v | DELETE p :v)+
        List<UpdateAction> updateClauses() {
            List<UpdateAction> actions = new ArrayList<>();
            Set<String> seen = new LinkedHashSet<>();
            do {
                Token clause = expect(Kind.WORD);
                String keyword = clause.text().toUpperCase(Locale.ROOT);
                if (!seen.add(keyword)) {
                    throw DynamoDbError.validation("Invalid UpdateExpression: The \"" + keyword + "\" section can only be used once in "
                            + "an update expression;");
                }
                do {
                    switch (keyword) {
                        case "SET" -> {
                            Path path = path();
                            Token eq = expect(Kind.COMPARATOR);
                            if (!eq.text().equals("=")) {
                                throw syntax(eq.text());
                            }
                            actions.add(new SetAction(path, setValue()));
                        }
                        case "REMOVE" -> actions.add(new RemoveAction(path()));
                        case "ADD" -> actions.add(new AddAction(path(), valueOperand()));
                        case "DELETE" -> actions.add(new DeleteAction(path(), valueOperand()));
                        default -> throw syntax(clause.text());
                    }
                } while (accept(Kind.COMMA));
            } while (peek().kind() != Kind.END);
            return actions;
        }

        private AttributeValue valueOperand() {
            Token t = expect(Kind.VALUE);
            return scope.value(t.text(), expression);
        }

        private Operand setValue() {
            Operand left = setOperand();
            if (peek().kind() == Kind.PLUS || peek().kind() == Kind.MINUS) {
                char operator = tokens.get(at++).text().charAt(0);
                return new Arithmetic(left, operator, setOperand());
            }
            return left;
        }

        private Operand setOperand() {
            Token t = peek();
            if (t.kind() == Kind.WORD && t.text().equals("if_not_exists") && peek(1).kind() == Kind.LPAREN) {
                at += 2;
                Path path = path();
                expect(Kind.COMMA);
                Operand otherwise = setOperand();
                expect(Kind.RPAREN);
                return new IfNotExists(path, otherwise);
            }
            if (t.kind() == Kind.WORD && t.text().equals("list_append") && peek(1).kind() == Kind.LPAREN) {
                at += 2;
                Operand first = setOperand();
                expect(Kind.COMMA);
                Operand second = setOperand();
                expect(Kind.RPAREN);
                return new ListAppend(first, second);
            }
            if (t.kind() == Kind.VALUE) {
                at++;
                return new ValueOperand(t.text(), scope.value(t.text(), expression));
            }
            return new PathOperand(path());
        }
    }

    /** The top-level attribute names a condition reads. */
    static Set<String> attributes(Condition condition) {
        Set<String> names = new LinkedHashSet<>();
        collect(condition, names);
        return names;
    }

    private static void collect(Condition c, Set<String> names) {
        switch (c) {
            case And a -> {
                collect(a.left(), names);
                collect(a.right(), names);
            }
            case Or o -> {
                collect(o.left(), names);
                collect(o.right(), names);
            }
            case Not n -> collect(n.condition(), names);
            case Comparison cmp -> {
                collect(cmp.left(), names);
                collect(cmp.right(), names);
            }
            case Between b -> {
                collect(b.operand(), names);
                collect(b.low(), names);
                collect(b.high(), names);
            }
            case In in -> {
                collect(in.operand(), names);
                in.candidates().forEach(o -> collect(o, names));
            }
            case Function f -> f.arguments().forEach(o -> collect(o, names));
        }
    }

    private static void collect(Operand o, Set<String> names) {
        if (o instanceof PathOperand p) {
            names.add(p.path().top());
        } else if (o instanceof SizeOperand s) {
            names.add(s.path().top());
        }
    }

    // ---- evaluation

    /** The value at {@code path} in {@code item}, or null when any step of it is missing. */
    static AttributeValue resolve(Path path, Map<String, AttributeValue> item) {
        if (item == null) {
            return null;
        }
        AttributeValue current = item.get(path.top());
        for (Object step : path.elements().subList(1, path.elements().size())) {
            if (current == null) {
                return null;
            }
            if (step instanceof Integer i) {
                current = current.type() == AttributeValue.Type.L && i < current.l().size() ? current.l().get(i) : null;
            } else {
                current = current.type() == AttributeValue.Type.M ? current.m().get((String) step) : null;
            }
        }
        return current;
    }

    static boolean evaluate(Condition condition, Map<String, AttributeValue> item) {
        return switch (condition) {
            case And a -> evaluate(a.left(), item) && evaluate(a.right(), item);
            case Or o -> evaluate(o.left(), item) || evaluate(o.right(), item);
            case Not n -> !evaluate(n.condition(), item);
            case Comparison c -> compare(c.comparator(), operand(c.left(), item), operand(c.right(), item));
            case Between b -> {
                AttributeValue v = operand(b.operand(), item);
                AttributeValue low = operand(b.low(), item);
                AttributeValue high = operand(b.high(), item);
                yield compare(">=", v, low) && compare("<=", v, high);
            }
            case In in -> {
                AttributeValue v = operand(in.operand(), item);
                yield v != null && in.candidates().stream().map(o -> operand(o, item)).anyMatch(c -> c != null && Values.equal(v, c));
            }
            case Function f -> function(f, item);
        };
    }

    private static boolean function(Function f, Map<String, AttributeValue> item) {
        AttributeValue first = operand(f.arguments().getFirst(), item);
        return switch (f.name()) {
            case "attribute_exists" -> first != null;
            case "attribute_not_exists" -> first == null;
            case "attribute_type" -> {
                AttributeValue type = operand(f.arguments().get(1), item);
                yield first != null && type != null && type.s() != null && Values.typeName(first).equals(type.s());
            }
            case "begins_with" -> {
                AttributeValue prefix = operand(f.arguments().get(1), item);
                if (first == null || prefix == null) {
                    yield false;
                }
                if (first.type() == AttributeValue.Type.S && prefix.type() == AttributeValue.Type.S) {
                    yield first.s().startsWith(prefix.s());
                }
                if (first.type() == AttributeValue.Type.B && prefix.type() == AttributeValue.Type.B) {
                    byte[] a = first.b().asByteArray();
                    byte[] p = prefix.b().asByteArray();
                    yield a.length >= p.length && java.util.Arrays.equals(a, 0, p.length, p, 0, p.length);
                }
                yield false;
            }
            case "contains" -> {
                AttributeValue needle = operand(f.arguments().get(1), item);
                if (first == null || needle == null) {
                    yield false;
                }
                yield switch (first.type()) {
                    case S -> needle.type() == AttributeValue.Type.S && first.s().contains(needle.s());
                    case SS -> needle.type() == AttributeValue.Type.S && first.ss().contains(needle.s());
                    case NS -> needle.type() == AttributeValue.Type.N && first.ns().stream().anyMatch(n -> Values.equal(
                            AttributeValue.fromN(n), needle));
                    case BS -> needle.type() == AttributeValue.Type.B && first.bs().contains(needle.b());
                    case L -> first.l().stream().anyMatch(e -> Values.equal(e, needle));
                    default -> false;
                };
            }
            default -> throw new IllegalStateException(f.name());
        };
    }

    /**
     * A comparison; one with a missing operand is false, except {@code <>}, which holds when the values differ in
     * presence or type. Order comparisons between different types are false.
     */
    private static boolean compare(String comparator, AttributeValue left, AttributeValue right) {
        if (left == null || right == null) {
            return comparator.equals("<>") && (left != null || right != null);
        }
        if (comparator.equals("=")) {
            return Values.equal(left, right);
        }
        if (comparator.equals("<>")) {
            return !Values.equal(left, right);
        }
        Integer order = Values.compare(left, right);
        if (order == null) {
            return false;
        }
        return switch (comparator) {
            case "<" -> order < 0;
            case "<=" -> order <= 0;
            case ">" -> order > 0;
            case ">=" -> order >= 0;
            default -> throw new IllegalStateException(comparator);
        };
    }

    static AttributeValue operand(Operand operand, Map<String, AttributeValue> item) {
        return switch (operand) {
            case PathOperand p -> resolve(p.path(), item);
            case ValueOperand v -> v.value();
            case SizeOperand s -> {
                AttributeValue v = resolve(s.path(), item);
                if (v == null) {
                    yield null;
                }
                long size = switch (v.type()) {
                    case S -> v.s().length();
                    case B -> v.b().asByteArray().length;
                    case SS -> v.ss().size();
                    case NS -> v.ns().size();
                    case BS -> v.bs().size();
                    case M -> v.m().size();
                    case L -> v.l().size();
                    default -> -1;
                };
                yield size < 0 ? null : AttributeValue.fromN(Long.toString(size));
            }
            case IfNotExists i -> {
                AttributeValue existing = resolve(i.path(), item);
                yield existing != null ? existing : operand(i.otherwise(), item);
            }
            case ListAppend l -> {
                AttributeValue a = operand(l.first(), item);
                AttributeValue b = operand(l.second(), item);
                if (a == null || b == null || a.type() != AttributeValue.Type.L || b.type() != AttributeValue.Type.L) {
                    throw DynamoDbError.validation("The provided expression refers to an attribute that does not exist in the item");
                }
                List<AttributeValue> joined = new ArrayList<>(a.l());
                joined.addAll(b.l());
                yield AttributeValue.fromL(joined);
            }
            case Arithmetic a -> {
                AttributeValue l = operand(a.left(), item);
                AttributeValue r = operand(a.right(), item);
                if (l == null || r == null) {
                    throw DynamoDbError.validation("The provided expression refers to an attribute that does not exist in the item");
                }
                if (l.type() != AttributeValue.Type.N || r.type() != AttributeValue.Type.N) {
                    throw DynamoDbError.validation("An operand in the update expression has an incorrect data type");
                }
                BigDecimal x = new BigDecimal(l.n());
                BigDecimal y = new BigDecimal(r.n());
                yield AttributeValue.fromN(Values.number((a.operator() == '+' ? x.add(y) : x.subtract(y)).toPlainString()));
            }
        };
    }

    /** Applies the actions to a copy of {@code item} (every right-hand side sees the item as it was before). */
    static Map<String, AttributeValue> apply(List<UpdateAction> actions, Map<String, AttributeValue> item) {
        Map<String, AttributeValue> before = item;
        Map<String, AttributeValue> after = deepCopy(item);
        for (UpdateAction action : actions) {
            switch (action) {
                case SetAction s -> put(after, s.path(), operand(s.value(), before));
                case RemoveAction r -> remove(after, r.path());
                case AddAction a -> {
                    AttributeValue existing = resolve(a.path(), before);
                    put(after, a.path(), add(existing, a.value()));
                }
                case DeleteAction d -> {
                    AttributeValue existing = resolve(d.path(), before);
                    if (existing != null) {
                        AttributeValue left = delete(existing, d.value());
                        if (left == null) {
                            remove(after, d.path());
                        } else {
                            put(after, d.path(), left);
                        }
                    }
                }
            }
        }
        return after;
    }

    private static AttributeValue add(AttributeValue existing, AttributeValue value) {
        if (value.type() == AttributeValue.Type.N) {
            if (existing == null) {
                return value;
            }
            if (existing.type() != AttributeValue.Type.N) {
                throw DynamoDbError.validation("An operand in the update expression has an incorrect data type");
            }
            return AttributeValue.fromN(Values.number(new BigDecimal(existing.n()).add(new BigDecimal(value.n())).toPlainString()));
        }
        if (value.type() == AttributeValue.Type.SS) {
            LinkedHashSet<String> all = new LinkedHashSet<>(existing == null ? List.of() : requireType(existing, value).ss());
            all.addAll(value.ss());
            return AttributeValue.fromSs(List.copyOf(all));
        }
        if (value.type() == AttributeValue.Type.NS) {
            LinkedHashSet<String> all = new LinkedHashSet<>(existing == null ? List.of() : requireType(existing, value).ns());
            all.addAll(value.ns());
            return AttributeValue.fromNs(List.copyOf(all));
        }
        throw DynamoDbError.validation("Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, "
                + "operand type: " + Values.typeName(value));
    }

    private static AttributeValue delete(AttributeValue existing, AttributeValue value) {
        requireType(existing, value);
        List<String> left = new ArrayList<>(value.type() == AttributeValue.Type.SS ? existing.ss() : existing.ns());
        left.removeAll(value.type() == AttributeValue.Type.SS ? value.ss() : value.ns());
        if (left.isEmpty()) {
            return null;
        }
        return value.type() == AttributeValue.Type.SS ? AttributeValue.fromSs(left) : AttributeValue.fromNs(left);
    }

    private static AttributeValue requireType(AttributeValue existing, AttributeValue value) {
        if (existing.type() != value.type()) {
            throw DynamoDbError.validation("An operand in the update expression has an incorrect data type");
        }
        return existing;
    }

    private static void put(Map<String, AttributeValue> item, Path path, AttributeValue value) {
        if (path.elements().size() == 1) {
            item.put(path.top(), value);
            return;
        }
        Path parent = new Path(path.elements().subList(0, path.elements().size() - 1));
        AttributeValue container = resolve(parent, item);
        Object last = path.elements().getLast();
        AttributeValue replaced;
        if (container != null && container.type() == AttributeValue.Type.M && last instanceof String key) {
            Map<String, AttributeValue> m = new LinkedHashMap<>(container.m());
            m.put(key, value);
            replaced = AttributeValue.fromM(m);
        } else if (container != null && container.type() == AttributeValue.Type.L && last instanceof Integer index) {
            List<AttributeValue> l = new ArrayList<>(container.l());
            if (index < l.size()) {
                l.set(index, value);
            } else {
                l.add(value);
            }
            replaced = AttributeValue.fromL(l);
        } else {
            throw DynamoDbError.validation("The document path provided in the update expression is invalid for update");
        }
        put(item, parent, replaced);
    }

    private static void remove(Map<String, AttributeValue> item, Path path) {
        if (path.elements().size() == 1) {
            item.remove(path.top());
            return;
        }
        Path parent = new Path(path.elements().subList(0, path.elements().size() - 1));
        AttributeValue container = resolve(parent, item);
        Object last = path.elements().getLast();
        if (container != null && container.type() == AttributeValue.Type.M && last instanceof String key) {
            Map<String, AttributeValue> m = new LinkedHashMap<>(container.m());
            m.remove(key);
            put(item, parent, AttributeValue.fromM(m));
        } else if (container != null && container.type() == AttributeValue.Type.L && last instanceof Integer index
                && index < container.l().size()) {
            List<AttributeValue> l = new ArrayList<>(container.l());
            l.remove((int) index);
            put(item, parent, AttributeValue.fromL(l));
        }
    }

    /** Only the attributes at {@code paths} (nested maps and lists keep the parts named). */
    static Map<String, AttributeValue> project(Map<String, AttributeValue> item, List<Path> paths) {
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        for (Path path : paths) {
            AttributeValue v = resolve(path, item);
            if (v == null) {
                continue;
            }
            if (path.elements().size() == 1) {
                out.put(path.top(), v);
            } else {
                // Nested projections keep the enclosing structure, with only the named parts in it.
                AttributeValue wrapped = v;
                for (int i = path.elements().size() - 1; i >= 1; i--) {
                    Object step = path.elements().get(i);
                    wrapped = step instanceof Integer ? AttributeValue.fromL(List.of(wrapped)) : AttributeValue.fromM(Map.of((String) step, wrapped));
                }
                out.merge(path.top(), wrapped, Expressions::mergeProjected);
            }
        }
        return out;
    }

    private static AttributeValue mergeProjected(AttributeValue a, AttributeValue b) {
        if (a.type() == AttributeValue.Type.M && b.type() == AttributeValue.Type.M) {
            Map<String, AttributeValue> m = new LinkedHashMap<>(a.m());
            b.m().forEach((k, v) -> m.merge(k, v, Expressions::mergeProjected));
            return AttributeValue.fromM(m);
        }
        if (a.type() == AttributeValue.Type.L && b.type() == AttributeValue.Type.L) {
            List<AttributeValue> l = new ArrayList<>(a.l());
            l.addAll(b.l());
            return AttributeValue.fromL(l);
        }
        return b;
    }

    static Map<String, AttributeValue> deepCopy(Map<String, AttributeValue> item) {
        return item == null ? new LinkedHashMap<>() : new LinkedHashMap<>(item);
    }

    private static Set<String> reservedWords() {
        try (InputStream in = Expressions.class.getResourceAsStream("reserved-words.txt")) {
            if (in == null) {
                throw new IllegalStateException("reserved-words.txt is missing beside " + Expressions.class.getName());
            }
            Set<String> words = new java.util.HashSet<>();
            for (String w : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\s+")) {
                if (!w.isBlank()) {
                    words.add(w.trim());
                }
            }
            return Set.copyOf(words);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
