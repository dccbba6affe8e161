package com.tokenwallet.sam;

import java.util.List;

/**
 * One rule about the template. Each test class proves its rules twice: on template.yaml (no problems) and on
 * copies with one mistake planted (at least one problem), so a rule that can never fail is caught.
 */
@FunctionalInterface
interface TemplateCheck {

    /** What is wrong with the template, one sentence per problem; empty when nothing is. */
    List<String> problems(SamTemplate template);

    /** The problems, a template too malformed to be checked counting as one. */
    default List<String> run(SamTemplate template) {
        try {
            return problems(template);
        } catch (AssertionError e) {
            return List.of(e.getMessage());
        }
    }
}
