import { Field, ObjectType } from 'type-graphql';
import { graphqlEnum } from './enums';
import { DecimalScalar } from './scalars';

const ORDER_DIRECTIONS = ['ASC', 'DESC'] as const;
export type OrderDirection = (typeof ORDER_DIRECTIONS)[number];
export const OrderDirection = graphqlEnum(ORDER_DIRECTIONS, {
  name: 'OrderDirection',
  description: 'Which way a list is sorted.',
  values: {
    ASC: 'Smallest (or earliest) first.',
    DESC: 'Largest (or latest) first.',
  },
});

/** Root value of Money: integer minor units plus the ISO currency. */
export interface MoneyValue {
  minor: number;
  currency: string;
}

@ObjectType({ description: 'An amount of money in a currency.' })
export class Money {
  @Field(() => DecimalScalar, { description: 'The amount, e.g. "12.50".' })
  amount(): number {
    return (this as unknown as MoneyValue).minor;
  }

  @Field({ description: 'ISO 4217 code, e.g. USD' })
  currency!: string;
}

/** An amount as the API hands it out: an instance of Money, whose `amount` resolves directly. */
export const money = (minor: number, currency: string): MoneyValue =>
  Object.assign(Object.create(Money.prototype) as MoneyValue, { minor, currency });

@ObjectType({ description: 'A name and a value, e.g. an HTTP header or a form field.' })
export class KeyValue {
  @Field({ description: 'The name, sent exactly as given.' })
  name!: string;
  @Field({ description: 'The value, sent exactly as given.' })
  value!: string;
}
