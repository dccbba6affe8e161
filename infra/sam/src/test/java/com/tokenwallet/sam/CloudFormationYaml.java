package com.tokenwallet.sam;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a CloudFormation YAML template into plain maps, lists and scalars, turning the short-form intrinsic
 * functions ({@code !Ref X}, {@code !GetAtt A.B}, ...) into their long JSON form ({@code {"Ref": "X"}},
 * {@code {"Fn::GetAtt": ["A", "B"]}}), which is the shape CloudFormation itself sees and the SAM schema expects.
 * Public, in this module's test-jar, for infra/packaged, which reads the functions' settings from the template.
 */
public final class CloudFormationYaml {

    /** Every short-form tag CloudFormation accepts. {@code !Ref} and {@code !Condition} have no {@code Fn::} prefix. */
    static final Set<String> INTRINSICS = Set.of("Ref", "Condition", "Sub", "GetAtt", "If", "Join", "Select", "Split",
            "Equals", "Not", "And", "Or", "FindInMap", "ImportValue", "GetAZs", "Base64", "Cidr", "Transform",
            "ToJsonString", "Length");

    private CloudFormationYaml() {
    }

    public static Map<String, Object> parse(String text) {
        LoaderOptions options = new LoaderOptions();
        // CloudFormation rejects a template with a duplicated key; SnakeYAML would silently keep the last one.
        options.setAllowDuplicateKeys(false);
        Object document = new Yaml(new IntrinsicConstructor(options)).load(text);
        if (!(document instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("A template is a YAML mapping, not " + document);
        }
        return copyOf(map);
    }

    /** A deep, mutable copy with string keys: tests change copies of the template to prove that a check can fail. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> copyOf(Map<?, ?> map) {
        return (Map<String, Object>) mutableCopy(map);
    }

    private static Object mutableCopy(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), mutableCopy(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(mutableCopy(v)));
            return copy;
        }
        return value;
    }

    private static final class IntrinsicConstructor extends SafeConstructor {
        IntrinsicConstructor(LoaderOptions options) {
            super(options);
            // YAML 1.1 would turn an unquoted 2012-10-17 (an IAM policy Version) into a Date; CloudFormation keeps text.
            yamlConstructors.put(Tag.TIMESTAMP, new ConstructYamlStr());
            for (String name : INTRINSICS) {
                String key = name.equals("Ref") || name.equals("Condition") ? name : "Fn::" + name;
                yamlConstructors.put(new Tag("!" + name), new Intrinsic(key));
            }
        }

        private final class Intrinsic extends AbstractConstruct {
            private final String key;

            Intrinsic(String key) {
                this.key = key;
            }

            @Override
            public Object construct(Node node) {
                Object argument = switch (node) {
                    case ScalarNode scalar -> constructScalar(scalar);
                    case SequenceNode sequence -> constructSequence(sequence);
                    case MappingNode mapping -> {
                        flattenMapping(mapping);
                        yield constructMapping(mapping);
                    }
                    default -> throw new IllegalArgumentException("Unexpected node for " + key + ": " + node);
                };
                if (key.equals("Fn::GetAtt") && argument instanceof String dotted) {
                    // !GetAtt Resource.Attribute; an attribute name may itself hold dots (Outputs.Name), the id cannot.
                    int dot = dotted.indexOf('.');
                    if (dot <= 0 || dot == dotted.length() - 1) {
                        throw new IllegalArgumentException("!GetAtt needs Resource.Attribute, not " + dotted);
                    }
                    argument = List.of(dotted.substring(0, dot), dotted.substring(dot + 1));
                }
                Map<String, Object> function = new LinkedHashMap<>();
                function.put(key, argument);
                return function;
            }
        }
    }
}
