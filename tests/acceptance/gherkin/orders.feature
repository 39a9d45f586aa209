@orders
Feature: Orders API access control
  Readers may read, writers may also create; nobody may read internals from an error.

  Scenario: readers may list orders
    Given I am "reader"
    When I send "GET /orders"
    Then access is allowed

  Scenario: readers may not delete orders
    Given I am "reader"
    When I send "DELETE /orders/1"
    Then access is denied

  @leak
  Scenario: server errors do not leak internals
    Given I am "reader"
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

  Scenario: a writer's order can be read back by a reader
    Given I am "writer"
    When I send "POST /orders" with JSON:
      """
      {"item": "gizmo"}
      """
    Then the response status is 201
    And I remember "$.id" as "order_id"
    Given I am "reader"
    When I send "GET /orders/{{order_id}}"
    Then the response status is 200
    And the JSON at "$.item" is "gizmo"
