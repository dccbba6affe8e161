package com.tokenwallet.sam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.constructor.DuplicateKeyException;

/** The short-form tags come out in the long JSON form CloudFormation (and the SAM schema) works with. */
class CloudFormationYamlTest {

    @Test
    void shortForms_becomeTheLongForm() {
        Map<String, Object> t = CloudFormationYaml.parse("""
                ref: !Ref WalletTable
                getAtt: !GetAtt WalletTable.Arn
                getAttOfANestedOutput: !GetAtt Nested.Outputs.Url
                getAttAsList: !GetAtt [WalletTable, Arn]
                sub: !Sub /aws/lambda/${CheckFunction}
                subWithVariables: !Sub [ "${A}-x", { A: !Ref B } ]
                if: !If [IsProd, !Ref A, !Ref AWS::NoValue]
                join: !Join ['', [a, !Ref B]]
                azs: !Select [0, !GetAZs '']
                condition: !Condition IsProd
                """);

        assertThat(t).containsEntry("ref", Map.of("Ref", "WalletTable"))
                .containsEntry("getAtt", Map.of("Fn::GetAtt", List.of("WalletTable", "Arn")))
                .containsEntry("getAttOfANestedOutput", Map.of("Fn::GetAtt", List.of("Nested", "Outputs.Url")))
                .containsEntry("getAttAsList", Map.of("Fn::GetAtt", List.of("WalletTable", "Arn")))
                .containsEntry("sub", Map.of("Fn::Sub", "/aws/lambda/${CheckFunction}"))
                .containsEntry("subWithVariables", Map.of("Fn::Sub", List.of("${A}-x", Map.of("A", Map.of("Ref", "B")))))
                .containsEntry("if", Map.of("Fn::If", List.of("IsProd", Map.of("Ref", "A"), Map.of("Ref", "AWS::NoValue"))))
                .containsEntry("join", Map.of("Fn::Join", List.of("", List.of("a", Map.of("Ref", "B")))))
                .containsEntry("azs", Map.of("Fn::Select", List.of(0, Map.of("Fn::GetAZs", ""))))
                .containsEntry("condition", Map.of("Condition", "IsProd"));
    }

    @Test
    void anUnquotedDate_staysText_asInAnIamPolicyVersion() {
        assertThat(CloudFormationYaml.parse("Version: 2012-10-17")).containsEntry("Version", "2012-10-17");
    }

    @Test
    void aDuplicatedKey_isRefused_asCloudFormationRefusesIt() {
        assertThatThrownBy(() -> CloudFormationYaml.parse("Resources:\n  A: 1\n  A: 2\n"))
                .isInstanceOf(DuplicateKeyException.class);
    }
}
