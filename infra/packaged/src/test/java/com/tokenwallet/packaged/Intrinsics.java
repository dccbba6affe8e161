package com.tokenwallet.packaged;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves the intrinsic functions a function's settings use in template.yaml ({@code Ref}, {@code Fn::Sub},
 * {@code Fn::GetAtt}, in their long form) to this test's values: a stack name, region and account, a value per
 * parameter (else its Default), and a physical id per resource the functions name. Anything else fails loudly, so a
 * new kind of setting in the template is noticed here rather than passed on unresolved.
 */
final class Intrinsics {
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!]+)}");

    private final String stackName;
    private final String region;
    private final String accountId;
    private final Map<String, Object> parameters;
    private final Map<String, String> parameterValues;
    private final Map<String, String> physicalIds;
    private final Map<String, Object> resources;

    /**
     * @param template        the template's tree (its Parameters and Resources are read)
     * @param parameterValues this test's value of each parameter it sets; the others take their Default
     * @param physicalIds     the name (what {@code Ref} returns) of each resource the functions refer to
     */
    @SuppressWarnings("unchecked")
    Intrinsics(Map<String, Object> template, String stackName, String region, String accountId,
               Map<String, String> parameterValues, Map<String, String> physicalIds) {
        this.stackName = stackName;
        this.region = region;
        this.accountId = accountId;
        this.parameters = (Map<String, Object>) template.getOrDefault("Parameters", Map.of());
        this.resources = (Map<String, Object>) template.getOrDefault("Resources", Map.of());
        this.parameterValues = parameterValues;
        this.physicalIds = physicalIds;
    }

    String stackName() {
        return stackName;
    }

    String region() {
        return region;
    }

    String accountId() {
        return accountId;
    }

    /** A setting's value as the function sees it in its environment. */
    String resolve(Object value) {
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return String.valueOf(value);
        }
        if (value instanceof Map<?, ?> function && function.size() == 1) {
            Map.Entry<?, ?> only = function.entrySet().iterator().next();
            Object argument = only.getValue();
            switch (String.valueOf(only.getKey())) {
                case "Ref":
                    return ref((String) argument);
                case "Fn::GetAtt":
                    List<?> parts = (List<?>) argument;
                    return getAtt((String) parts.get(0), (String) parts.get(1));
                case "Fn::Sub":
                    if (argument instanceof String text) {
                        return sub(text);
                    }
                    break;
                default:
                    break;
            }
        }
        throw new IllegalArgumentException("the packaged-function test cannot resolve " + value + ": teach Intrinsics");
    }

    private String ref(String name) {
        switch (name) {
            case "AWS::StackName":
                return stackName;
            case "AWS::Region":
                return region;
            case "AWS::AccountId":
                return accountId;
            case "AWS::Partition":
                return "aws";
            case "AWS::URLSuffix":
                return "amazonaws.com";
            default:
                break;
        }
        if (parameters.containsKey(name)) {
            if (parameterValues.containsKey(name)) {
                return parameterValues.get(name);
            }
            Object declared = ((Map<?, ?>) parameters.get(name)).get("Default");
            if (declared == null) {
                throw new IllegalArgumentException("parameter " + name + " has no Default and the test gives it no value");
            }
            return String.valueOf(declared);
        }
        if (resources.containsKey(name)) {
            String id = physicalIds.get(name);
            if (id == null) {
                throw new IllegalArgumentException("the test gives resource " + name + " no physical id");
            }
            return id;
        }
        throw new IllegalArgumentException("!Ref " + name + " names nothing in the template");
    }

    private String getAtt(String resource, String attribute) {
        Map<?, ?> declared = (Map<?, ?>) resources.get(resource);
        if (declared == null) {
            throw new IllegalArgumentException("!GetAtt " + resource + "." + attribute + " names no resource");
        }
        String type = String.valueOf(declared.get("Type"));
        if (attribute.equals("Arn") && type.equals("AWS::DynamoDB::Table")) {
            return "arn:aws:dynamodb:" + region + ":" + accountId + ":table/" + ref(resource);
        }
        if (attribute.equals("Arn") && type.equals("AWS::SQS::Queue")) {
            return "arn:aws:sqs:" + region + ":" + accountId + ":" + ref(resource);
        }
        throw new IllegalArgumentException("the test has no value for !GetAtt " + resource + "." + attribute);
    }

    private String sub(String text) {
        Matcher matcher = SUB_VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String variable = matcher.group(1);
            int dot = variable.indexOf('.');
            String value = dot > 0 && !variable.startsWith("AWS::")
                    ? getAtt(variable.substring(0, dot), variable.substring(dot + 1)) : ref(variable);
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
