# The demo orders API in Gherkin. The same rules as scenarios/orders.yaml, so both
# syntaxes can be compared; roles come from features/authspec.yaml.
@orders
Feature: Orders API access control (Gherkin, demo)
  Readers may read, writers may also create; only admins manage users; nobody may read
  internals from an error.

  Background:
    Given I am "reader"

  Scenario: readers may list orders
    When I send "GET /orders"
    Then access is allowed
    And the response header "Content-Type" is "application/json"

  Scenario: readers may not delete orders
    When I send "DELETE /orders/1"
    Then access is denied

  @leak
  Scenario: server errors do not leak internals
    When I send "GET /debug/boom"
    Then the response status is one of 500, 503
    And the response body does not contain "java.lang."

  Scenario Outline: only writers may create orders
    Given I am "<role>"
    When I send "POST /orders" with JSON:
      """
      {"item": "gadget"}
      """
    Then access is <outcome>

    Examples:
      | role      | outcome |
      | writer    | allowed |
      | reader    | denied  |
      | anonymous | denied  |

  Rule: only admins manage users

    Scenario Outline: <role> may not list users
      Given I am "<role>"
      When I send "GET /admin/users"
      Then access is denied

      Examples:
        | role   |
        | reader |
        | writer |

    Scenario: an admin may list users
      Given I am "admin"
      When I send "GET /admin/users"
      Then access is allowed
      And the JSON at "$[0].user" is "alice"
